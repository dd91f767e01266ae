#pragma once

#include <string>
#include <vector>

namespace kb {

// The commands main() dispatches before any plugin's: no plugin id or global verb may
// take one of these names.
inline const std::vector<std::string> &hostCommands()
{
    static const std::vector<std::string> names = {"help",   "init",    "new",   "show",    "edit",
                                                   "serve",  "list",    "check", "plugins", "index",
                                                   "search", "similar", "log",   "restore"};
    return names;
}

} // namespace kb
