#pragma once

#include <map>
#include <string>
#include <vector>

namespace kb::web {

// A request target ("/api/records/les-1?q=%E5%89%B2+x") taken apart: the path decoded
// whole (for pages and messages), its segments decoded one by one (so "%2F" inside an id
// never becomes a separator), and the query's parameters ('+' is a space).
struct HttpTarget {
    std::string path;
    std::vector<std::string> segments; // "/api/records/x" -> {"api", "records", "x"}
    std::multimap<std::string, std::string> query;
};

// False when a percent escape is malformed or decodes to a NUL byte.
bool parseHttpTarget(const std::string &raw, HttpTarget *out);

} // namespace kb::web
