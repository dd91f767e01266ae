#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "schema.h"

class QPluginLoader;
namespace Kb {
class RecordType;
}

namespace kb {

enum class PluginState { Loaded, Failed, Shadowed };

struct PluginInfo {
    std::string id, name, version, path;
    int api = 0;
    PluginState state = PluginState::Failed;
    std::string error; // why it failed or what shadows it
    TypeSchema schema;
    Kb::RecordType *instance = nullptr; // set when Loaded; owned by Qt, never unloaded
};

std::string_view pluginStateName(PluginState s);

// Finds, checks and loads record-type plugins. Metadata is read and checked (IID, API
// version, manifest, conflicts with plugins already accepted) before any code is
// loaded; loading resolves all symbols at once so a missing one fails here, not later.
// A broken plugin is recorded with its reason and skipped; the host keeps going.
class PluginHost {
public:
    PluginHost();
    ~PluginHost();
    PluginHost(const PluginHost &) = delete;
    PluginHost &operator=(const PluginHost &) = delete;

    void discover(const std::vector<std::string> &searchDirs);
    const std::vector<PluginInfo> &plugins() const { return plugins_; }
    // The loaded plugin providing a record type, named by type ("lesson") or plugin id
    // ("lessons"). Verbs-only plugins are never returned.
    const PluginInfo *findRecordType(std::string_view typeOrId) const;
    // Any loaded plugin by id, or a record-type plugin by its type: who runs `kb NAME VERB`.
    const PluginInfo *findPlugin(std::string_view idOrType) const;
    // The loaded plugin offering `kb NAME` as a top-level command, if any.
    const PluginInfo *findGlobalVerb(std::string_view name) const;

    // --plugin-path values, then $KB_PLUGIN_PATH, then <exe>/../lib/kb/plugins, then the
    // build tree; colon-separated lists are split, missing folders are dropped.
    static std::vector<std::string> searchPath(const std::vector<std::string> &cliPaths,
                                               const std::string &exeDir);

private:
    void consider(const std::string &path);
    std::string conflictWithAccepted(const TypeSchema &schema) const;

    std::vector<PluginInfo> plugins_;
    std::vector<std::unique_ptr<QPluginLoader>> loaders_;
};

} // namespace kb
