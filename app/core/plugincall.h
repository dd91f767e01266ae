#pragma once

#include <string>
#include <string_view>

namespace kb {

// Names the plugin code the current thread is running ("plugin 'memos', verb count"), so
// that a crash inside a plugin is blamed on it: a fatal signal writes the name to
// <root>/.kb/plugin-crash, and the next kb command in that root says so.
class PluginCall {
public:
    PluginCall(std::string_view pluginId, std::string_view what);
    ~PluginCall();
    PluginCall(const PluginCall &) = delete;
    PluginCall &operator=(const PluginCall &) = delete;

    // Installs the fatal-signal handlers for a root (not under the sanitizers, whose own
    // reports matter more), and returns the report a crashed earlier run left there, if
    // any, removing it.
    static std::string watchRoot(const std::string &rootDir);

private:
    char saved_[256];
};

} // namespace kb
