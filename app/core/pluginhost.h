#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema.h"

namespace Kb {
class RecordType;
}

namespace kb {

enum class PluginState { Loaded, Failed, Shadowed };

struct PluginInfo {
    std::string id, name, version, path;
    int api = 0;
    bool bundled = false; // found in kb's own plugin folder (installed or build tree)
    PluginState state = PluginState::Failed;
    std::string error;                 // why it failed or what shadows it, on one line
    std::vector<std::string> problems; // the same, one entry per manifest key
    // The module on disk is not the one this process runs: code cannot be reloaded, so
    // the host keeps the manifest and code it loaded first (kb serve says restart).
    bool changedOnDisk = false;
    TypeSchema schema;
    Kb::RecordType *instance = nullptr; // set when Loaded; owned by Qt, never unloaded
};

std::string_view pluginStateName(PluginState s);

struct PluginDir {
    std::string path;
    bool bundled = false; // kb's own plugins: they win conflicts with third-party ones
};

// Finds, checks and loads record-type plugins. Every manifest is read and checked (IID,
// API version, each key's type, unknown keys) before any code is loaded. Of two plugins
// with one id the first on the path wins (the other is shadowed). Conflicts (a record
// type, a field of another type or index prefix, a global command) are settled in favour
// of kb's own plugins, then path order, so a third-party plugin can only break itself.
// A plugin whose "Requires" names a record type nobody provides is not loaded. Loading
// resolves all symbols at once, so a missing one fails here, not later.
class PluginHost {
public:
    PluginHost();
    ~PluginHost();
    PluginHost(const PluginHost &) = delete;
    PluginHost &operator=(const PluginHost &) = delete;

    void discover(const std::vector<PluginDir> &searchDirs);
    const std::vector<PluginInfo> &plugins() const { return plugins_; }
    bool anyFailed() const;
    // The loaded plugin providing a record type, named by type ("lesson") or plugin id
    // ("lessons"). Verbs-only plugins are never returned.
    const PluginInfo *findRecordType(std::string_view typeOrId) const;
    // Any loaded plugin by id, or a record-type plugin by its type: who runs `kb NAME VERB`.
    const PluginInfo *findPlugin(std::string_view idOrType) const;
    // The loaded plugin offering `kb NAME` as a top-level command, if any.
    const PluginInfo *findGlobalVerb(std::string_view name) const;
    // What a manifest would conflict with among the loaded plugins (other than one of
    // the same id), one entry per key: for `kb plugins check`.
    std::vector<std::string> conflictsOf(const TypeSchema &schema) const;

    // A failed plugin that would have provided `type`, if any, and a sentence for "unknown
    // type" errors saying why the type is missing.
    const PluginInfo *failedProviderOf(std::string_view type) const;
    std::string whyUnknownType(std::string_view type) const;
    // The host's own command names: no plugin id or global verb may take one.
    void reserveCommands(std::vector<std::string> names) { reserved_ = std::move(names); }
    // The index's own term prefixes: no plugin field may take one.
    void reservePrefixes(std::vector<std::string> names) { reservedPrefixes_ = std::move(names); }

    // --plugin-path values, then $KB_PLUGIN_PATH, then <exe>/../lib/kb/plugins, then the
    // build tree (for the build tree's binaries only); colon-separated lists are split.
    // Folders that do not exist are dropped, and the user's are listed in `missing`.
    static std::vector<PluginDir> searchPath(const std::vector<std::string> &cliPaths,
                                             const std::string &exeDir,
                                             std::vector<std::string> *missing = nullptr);

private:
    PluginInfo read(const std::string &path, bool bundled) const;
    void accept(PluginInfo &candidate);
    void dropUnmetRequirements();

    std::vector<PluginInfo> plugins_;
    std::vector<std::string> reserved_, reservedPrefixes_;
};

} // namespace kb
