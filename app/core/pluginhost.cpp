#include "core/pluginhost.h"

#include "core/manifest.h"

#include <kb/recordtype.h>

#include <QDir>
#include <QJsonObject>
#include <QLibrary>
#include <QPluginLoader>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

namespace kb {
namespace {

// Code once loaded stays for the life of the process (unloading a Qt plugin whose
// objects may still be referenced is unsafe), and dlopen of the same path returns the old
// code even after the file was replaced. So every host in the process sees a module with
// the manifest it was loaded with, whatever the file says now.
struct LoadedModule {
    QPluginLoader *loader = nullptr; // kept (not unloaded) and reachable, so not a leak
    QJsonObject metaData;
    Kb::RecordType *instance = nullptr;
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
};

std::mutex modulesMutex;
std::map<std::string, LoadedModule> &loadedModules()
{
    static auto *modules = new std::map<std::string, LoadedModule>; // never destroyed
    return *modules;
}

void stampOf(const std::string &path, std::filesystem::file_time_type *modified,
             std::uintmax_t *size)
{
    std::error_code ec;
    *modified = std::filesystem::last_write_time(path, ec);
    *size = std::filesystem::file_size(path, ec);
}

std::string joined(const std::vector<std::string> &problems)
{
    std::string out;
    for (const auto &p : problems)
        out += (out.empty() ? "" : "; ") + p;
    return out;
}

std::string fieldPath(const TypeSchema &s, const FieldSpec &f)
{
    for (std::size_t i = 0; i < s.fields.size(); ++i)
        if (&s.fields[i] == &f)
            return "Fields[" + std::to_string(i) + "] (" + f.name + ")";
    return "Fields (" + f.name + ")";
}

std::string typeText(const FieldSpec &f)
{
    std::string t(fieldTypeName(f.type));
    if (f.type == FieldType::List)
        t += " of " + std::string(fieldTypeName(f.itemType));
    return t;
}

// What `s` cannot have while `p` is loaded, one entry per key of s's manifest.
void conflictsBetween(const TypeSchema &s, const PluginInfo &p, std::vector<std::string> *out)
{
    const std::string other = "plugin '" + p.id + "'" + (p.bundled ? " (shipped with kb)" : "");
    const std::string owner = "(plugin '" + p.id + "'" + (p.bundled ? ", shipped with kb)" : ")");
    for (std::size_t i = 0; i < s.verbs.size(); ++i)
        for (const auto &w : p.schema.verbs)
            if (s.verbs[i].global && w.global && s.verbs[i].name == w.name)
                out->push_back("Verbs[" + std::to_string(i) + "] (" + w.name +
                               "): the command 'kb " + w.name + "' already belongs to " + other);
    if (!s.hasRecords || !p.schema.hasRecords)
        return;
    if (p.schema.type == s.type)
        out->push_back("Type: record type '" + s.type + "' is already provided by " + other);
    if (p.schema.idPrefix == s.idPrefix)
        out->push_back("IdPrefix: '" + s.idPrefix + "' already starts the ids of " + p.schema.type +
                       " records " + owner);
    for (const FieldSpec &f : s.fields) {
        for (const FieldSpec &g : p.schema.fields) {
            const std::string where = fieldPath(s, f);
            if (f.name == g.name) {
                // One field name is one index mapping across types: it must agree.
                if (typeText(f) != typeText(g))
                    out->push_back(where + ".Type: " + typeText(f) + " here, but " + other +
                                   " declares '" + g.name + "' as " + typeText(g));
                else if (!f.prefix.empty() && !g.prefix.empty() && f.prefix != g.prefix)
                    out->push_back(where + ".Prefix: '" + f.prefix + "' here, but " + other +
                                   " indexes '" + g.name + "' under '" + g.prefix +
                                   "' (leave Prefix out to share it)");
                else if (f.vocabulary != g.vocabulary)
                    out->push_back(where + ".Vocabulary: '" + f.vocabulary + "' here, but " +
                                   other + " takes '" + g.name + "' from '" + g.vocabulary + "'");
            } else if (!f.prefix.empty() && f.prefix == g.prefix) {
                out->push_back(where + ".Prefix: '" + f.prefix +
                               "' is already the index prefix "
                               "of field '" +
                               g.name + "' of " + other);
            }
        }
    }
}

// A plugin that takes the id of one kb ships replaces it: it must keep its record type,
// or every record of that type (and every plugin that reads them) would break.
std::string replacementProblem(const TypeSchema &s, const PluginInfo &shipped)
{
    if (!shipped.bundled || shipped.id != s.pluginId)
        return {};
    const std::string had = shipped.schema.hasRecords ? "record type '" + shipped.schema.type + "'"
                                                      : std::string("no record type");
    if (s.hasRecords == shipped.schema.hasRecords &&
        (!s.hasRecords || s.type == shipped.schema.type))
        return {};
    return "Id: '" + s.pluginId + "' is the id of a plugin shipped with kb (" + had +
           "); a plugin replacing it must provide the same, so choose another Id";
}

} // namespace

std::string_view pluginStateName(PluginState s)
{
    switch (s) {
    case PluginState::Loaded:
        return "loaded";
    case PluginState::Failed:
        return "failed";
    case PluginState::Shadowed:
        return "shadowed";
    }
    return "failed";
}

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;

std::vector<PluginDir> PluginHost::searchPath(const std::vector<std::string> &cliPaths,
                                              const std::string &exeDir,
                                              std::vector<std::string> *missing)
{
    std::vector<PluginDir> raw;
    auto split = [&](const std::string &list) {
        std::size_t start = 0;
        while (start <= list.size()) {
            std::size_t colon = list.find(':', start);
            std::string part =
                list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            if (!part.empty())
                raw.push_back({part, false});
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
    };
    for (const auto &p : cliPaths)
        split(p);
    if (const char *env = std::getenv("KB_PLUGIN_PATH"))
        split(env);
    raw.push_back({exeDir + "/../lib/kb/plugins", true});
#if defined(KB_BUILD_PLUGIN_DIR) && defined(KB_BUILD_BIN_DIR)
    // The build tree's plugins belong to the build tree's binaries, not an installed kb.
    std::error_code same;
    if (std::filesystem::equivalent(exeDir, KB_BUILD_BIN_DIR, same))
        raw.push_back({KB_BUILD_PLUGIN_DIR, true});
#endif
    std::vector<PluginDir> out;
    std::map<std::string, std::size_t> seen;
    for (const auto &p : raw) {
        std::error_code ec;
        auto canon = std::filesystem::canonical(p.path, ec);
        if (ec || !std::filesystem::is_directory(canon, ec)) {
            if (!p.bundled && missing)
                missing->push_back(p.path);
            continue;
        }
        auto [at, added] = seen.emplace(canon.string(), out.size());
        if (added)
            out.push_back({canon.string(), p.bundled});
        else
            out[at->second].bundled |= p.bundled; // kb's own folder, also named by the user
    }
    return out;
}

PluginInfo PluginHost::read(const std::string &path, bool bundled) const
{
    PluginInfo info;
    info.path = path;
    info.bundled = bundled;
    auto fail = [&](std::vector<std::string> problems) {
        info.problems = std::move(problems);
        info.error = joined(info.problems);
        return info;
    };
    QJsonObject meta;
    {
        std::lock_guard lock(modulesMutex);
        auto it = loadedModules().find(path);
        if (it != loadedModules().end()) {
            meta = it->second.metaData;
            std::filesystem::file_time_type modified;
            std::uintmax_t size = 0;
            stampOf(path, &modified, &size);
            info.changedOnDisk = modified != it->second.modified || size != it->second.size;
        }
    }
    if (meta.isEmpty())
        meta = QPluginLoader(QString::fromStdString(path)).metaData(); // loads no code
    if (meta.isEmpty()) {
        info.id = std::filesystem::path(path).stem().string();
        return fail({"not a kb plugin (no Qt plugin metadata)"});
    }
    const QJsonObject manifest = meta.value(QLatin1String("MetaData")).toObject();
    info.id = manifest.value(QLatin1String("Id")).toString().toStdString();
    if (info.id.empty())
        info.id = std::filesystem::path(path).stem().string();
    info.name = manifest.value(QLatin1String("Name")).toString().toStdString();
    info.version = manifest.value(QLatin1String("Version")).toString().toStdString();
    info.api = manifest.value(QLatin1String("Api")).toInt(0);

    const QString iid = meta.value(QLatin1String("IID")).toString();
    if (iid != QLatin1String(KB_RECORDTYPE_IID))
        return fail({"expected IID " KB_RECORDTYPE_IID " but found " + iid.toStdString()});
    std::vector<std::string> problems;
    const bool parsed = parseManifest(manifest, &info.schema, &problems);
    const QJsonValue api = manifest.value(QLatin1String("Api"));
    if (api.isDouble() && api.toDouble() == double(info.api) && info.api != Kb::SdkApiVersion)
        return fail(
            {"Api: the manifest says " + std::to_string(info.api) +
             ", but this kb provides SDK API " + std::to_string(Kb::SdkApiVersion) +
             ": a plugin written for this kb says \"Api\": " + std::to_string(Kb::SdkApiVersion) +
             " (and is rebuilt), one written for "
             "another kb needs that kb"});
    if (!parsed)
        return fail(std::move(problems));
    info.state = PluginState::Loaded; // a candidate; accept() decides
    return info;
}

void PluginHost::discover(const std::vector<PluginDir> &searchDirs)
{
    for (const auto &dir : searchDirs) {
        QDir d(QString::fromStdString(dir.path));
        const auto entries = d.entryList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QString &name : entries) {
            const QString path = d.absoluteFilePath(name);
            if (QLibrary::isLibrary(path))
                plugins_.push_back(read(path.toStdString(), dir.bundled));
        }
    }
    // A replacement of a shipped plugin that drops its record type fails; the shipped
    // one then loads.
    for (auto &p : plugins_) {
        if (p.state != PluginState::Loaded || p.bundled)
            continue;
        for (const auto &q : plugins_)
            if (q.state == PluginState::Loaded)
                if (std::string why = replacementProblem(p.schema, q); !why.empty()) {
                    p.state = PluginState::Failed;
                    p.problems = {why};
                    p.error = why;
                    break;
                }
    }
    // The first of an id on the path is the candidate; later ones are shadowed.
    std::set<std::string> ids, bundledIds;
    for (auto &p : plugins_) {
        if (p.state != PluginState::Loaded)
            continue;
        if (p.bundled)
            bundledIds.insert(p.id);
        if (!ids.insert(p.id).second) {
            p.state = PluginState::Shadowed;
            for (const auto &q : plugins_)
                if (q.id == p.id && q.state == PluginState::Loaded) {
                    p.error = "shadowed by " + q.path;
                    break;
                }
        }
    }
    // kb's own plugins (or what replaces them by id) settle conflicts first.
    std::vector<PluginInfo *> order;
    for (auto &p : plugins_)
        if (p.state == PluginState::Loaded && bundledIds.count(p.id))
            order.push_back(&p);
    for (auto &p : plugins_)
        if (p.state == PluginState::Loaded && !bundledIds.count(p.id))
            order.push_back(&p);
    for (auto &p : plugins_)
        if (p.state == PluginState::Loaded)
            p.state = PluginState::Failed; // until accepted
    for (PluginInfo *p : order)
        accept(*p);
    dropUnmetRequirements();
}

std::vector<std::string> PluginHost::conflictsOf(const TypeSchema &schema) const
{
    std::vector<std::string> all;
    if (std::find(reserved_.begin(), reserved_.end(), schema.pluginId) != reserved_.end())
        all.push_back("Id: '" + schema.pluginId + "' is one of kb's own commands, so `kb " +
                      schema.pluginId + " VERB` could never reach the plugin");
    for (std::size_t i = 0; i < schema.verbs.size(); ++i)
        if (schema.verbs[i].global &&
            std::find(reserved_.begin(), reserved_.end(), schema.verbs[i].name) != reserved_.end())
            all.push_back("Verbs[" + std::to_string(i) + "] (" + schema.verbs[i].name +
                          ").Global: 'kb " + schema.verbs[i].name +
                          "' is one of kb's own commands; drop \"Global\" (it stays `kb " +
                          schema.pluginId + " " + schema.verbs[i].name + "`) or rename it");
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        if (const FieldSpec &f = schema.fields[i];
            std::find(reservedPrefixes_.begin(), reservedPrefixes_.end(), f.prefix) !=
            reservedPrefixes_.end())
            all.push_back("Fields[" + std::to_string(i) + "] (" + f.name + ").Prefix: '" +
                          f.prefix + "' is one of the index's own prefixes");
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        const FieldSpec &f = schema.fields[i];
        if ((f.clearance.empty() && f.publicValues.empty()) || !f.prefix.empty())
            continue;
        const bool shared = std::any_of(plugins_.begin(), plugins_.end(), [&](const PluginInfo &p) {
            const FieldSpec *g = p.state == PluginState::Loaded ? p.schema.find(f.name) : nullptr;
            return g && !g->prefix.empty();
        });
        if (!shared)
            all.push_back("Fields[" + std::to_string(i) + "] (" + f.name +
                          (f.clearance.empty() ? ").Public" : ").Clearance") +
                          ": needs a \"Prefix\" (its own, or that of a field of the "
                          "same name in another plugin): the index hides such records by it");
    }
    for (const auto &p : plugins_) {
        if (p.state != PluginState::Loaded)
            continue;
        if (p.id != schema.pluginId)
            conflictsBetween(schema, p, &all);
        else if (std::string why = replacementProblem(schema, p); !why.empty())
            all.push_back(why);
    }
    // One entry per key: the first plugin it clashes with is enough to act on.
    std::vector<std::string> out;
    std::set<std::string> keys;
    for (auto &c : all)
        if (keys.insert(c.substr(0, c.find(": "))).second)
            out.push_back(std::move(c));
    return out;
}

void PluginHost::accept(PluginInfo &info)
{
    auto fail = [&](std::vector<std::string> problems) {
        info.state = PluginState::Failed;
        info.problems = std::move(problems);
        info.error = joined(info.problems);
    };
    if (auto conflicts = conflictsOf(info.schema); !conflicts.empty())
        return fail(std::move(conflicts));

    std::lock_guard lock(modulesMutex);
    auto it = loadedModules().find(info.path);
    if (it == loadedModules().end()) {
        auto *loader = new QPluginLoader(QString::fromStdString(info.path)); // never unloaded
        loader->setLoadHints(QLibrary::ResolveAllSymbolsHint | QLibrary::PreventUnloadHint);
        QObject *object = loader->instance();
        if (!object) {
            const std::string why = loader->errorString().toStdString();
            delete loader;
            return fail({"cannot load: " + why});
        }
        auto *instance = qobject_cast<Kb::RecordType *>(object);
        if (!instance) {
            delete loader; // its code stays loaded (PreventUnloadHint), unused
            return fail({"does not implement Kb::RecordType"});
        }
        LoadedModule module{loader, loader->metaData(), instance, {}, 0};
        stampOf(info.path, &module.modified, &module.size);
        it = loadedModules().emplace(info.path, std::move(module)).first;
    }
    info.instance = it->second.instance;
    info.state = PluginState::Loaded;
    // A field shared with another plugin (customer, touchpoint) and given no Label shows
    // that plugin's label, not its bare name.
    for (FieldSpec &f : info.schema.fields) {
        if (f.labelGiven)
            continue;
        for (const PluginInfo &p : plugins_) {
            const FieldSpec *g =
                &p != &info && p.state == PluginState::Loaded ? p.schema.find(f.name) : nullptr;
            if (g && g->labelGiven) {
                f.labelZh = g->labelZh;
                f.labelEn = g->labelEn;
                if (f.help.empty())
                    f.help = g->help;
                break;
            }
        }
    }
}

void PluginHost::dropUnmetRequirements()
{
    for (bool changed = true; changed;) {
        changed = false;
        for (auto &p : plugins_) {
            if (p.state != PluginState::Loaded)
                continue;
            for (std::size_t i = 0; i < p.schema.requiredTypes.size(); ++i) {
                const std::string &type = p.schema.requiredTypes[i];
                const PluginInfo *provider = findRecordType(type);
                if (provider && provider->schema.type == type)
                    continue;
                p.state = PluginState::Failed;
                p.problems = {"Requires[" + std::to_string(i) + "]: record type '" + type +
                              "' is provided by no loaded plugin"};
                p.error = p.problems.front();
                changed = true;
                break;
            }
        }
    }
}

const PluginInfo *PluginHost::failedProviderOf(std::string_view type) const
{
    for (const auto &p : plugins_)
        if (p.state == PluginState::Failed && p.schema.hasRecords && p.schema.type == type)
            return &p;
    return nullptr;
}

std::string PluginHost::whyUnknownType(std::string_view type) const
{
    if (const PluginInfo *p = failedProviderOf(type))
        return "plugin '" + p->id + "', which provides it, failed to load: " +
               (p->problems.empty() ? p->error : p->problems.front()) +
               (p->problems.size() > 1 ? " (and more; see `kb plugins`)" : "");
    return "no loaded plugin provides it; see `kb plugins`";
}

bool PluginHost::anyFailed() const
{
    return std::any_of(plugins_.begin(), plugins_.end(),
                       [](const PluginInfo &p) { return p.state == PluginState::Failed; });
}

const PluginInfo *PluginHost::findRecordType(std::string_view typeOrId) const
{
    for (const auto &p : plugins_)
        if (p.state == PluginState::Loaded && p.schema.hasRecords &&
            (p.schema.type == typeOrId || p.id == typeOrId))
            return &p;
    return nullptr;
}

const PluginInfo *PluginHost::findPlugin(std::string_view idOrType) const
{
    for (const auto &p : plugins_)
        if (p.state == PluginState::Loaded && p.id == idOrType)
            return &p;
    return findRecordType(idOrType);
}

const PluginInfo *PluginHost::findGlobalVerb(std::string_view name) const
{
    for (const auto &p : plugins_)
        if (p.state == PluginState::Loaded)
            for (const auto &v : p.schema.verbs)
                if (v.global && v.name == name)
                    return &p;
    return nullptr;
}

} // namespace kb
