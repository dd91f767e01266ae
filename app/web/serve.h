#pragma once

#include <string>
#include <vector>

namespace kb {
class Session;

// `kb serve [--host H] [--port P] [--token-file F]`: the web app until Ctrl-C.
int runServe(Session &s, const std::vector<std::string> &args);

} // namespace kb
