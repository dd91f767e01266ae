#include "pluginhost.h"

#include "manifest.h"

#include <kb/recordtype.h>

#include <QDir>
#include <QJsonObject>
#include <QLibrary>
#include <QPluginLoader>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace kb {

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
PluginHost::~PluginHost() = default; // loaders are destroyed without unload(): never unload

std::vector<std::string> PluginHost::searchPath(const std::vector<std::string> &cliPaths,
                                                const std::string &exeDir)
{
    std::vector<std::string> raw;
    auto split = [&](const std::string &list) {
        std::size_t start = 0;
        while (start <= list.size()) {
            std::size_t colon = list.find(':', start);
            std::string part =
                list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            if (!part.empty())
                raw.push_back(part);
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
    };
    for (const auto &p : cliPaths)
        split(p);
    if (const char *env = std::getenv("KB_PLUGIN_PATH"))
        split(env);
    raw.push_back(exeDir + "/../lib/kb/plugins");
#ifdef KB_BUILD_PLUGIN_DIR
    raw.push_back(KB_BUILD_PLUGIN_DIR);
#endif
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto &p : raw) {
        std::error_code ec;
        auto canon = std::filesystem::canonical(p, ec);
        if (!ec && std::filesystem::is_directory(canon, ec) && seen.insert(canon.string()).second)
            out.push_back(canon.string());
    }
    return out;
}

void PluginHost::discover(const std::vector<std::string> &searchDirs)
{
    for (const auto &dir : searchDirs) {
        QDir d(QString::fromStdString(dir));
        const auto entries = d.entryList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QString &name : entries) {
            const QString path = d.absoluteFilePath(name);
            if (QLibrary::isLibrary(path))
                consider(path.toStdString());
        }
    }
}

std::string PluginHost::conflictWithAccepted(const TypeSchema &s) const
{
    for (const auto &p : plugins_) {
        if (p.state != PluginState::Loaded)
            continue;
        for (const auto &v : s.verbs)
            for (const auto &w : p.schema.verbs)
                if (v.global && w.global && v.name == w.name)
                    return "command '" + v.name + "' is already provided by plugin '" + p.id + "'";
        if (s.hasRecords && p.schema.hasRecords && p.schema.type == s.type)
            return "record type '" + s.type + "' is already provided by plugin '" + p.id + "'";
        for (const auto &f : s.fields) {
            for (const auto &g : p.schema.fields) {
                if (f.name == g.name && f.type != g.type)
                    return "field '" + f.name + "' is " + std::string(fieldTypeName(f.type)) +
                           " here but " + std::string(fieldTypeName(g.type)) + " in plugin '" +
                           p.id + "'";
                if (!f.prefix.empty() && f.prefix == g.prefix && f.name != g.name)
                    return "index prefix '" + f.prefix + "' of field '" + f.name +
                           "' is used by field '" + g.name + "' of plugin '" + p.id + "'";
            }
        }
    }
    return {};
}

void PluginHost::consider(const std::string &path)
{
    PluginInfo info;
    info.path = path;
    auto loader = std::make_unique<QPluginLoader>(QString::fromStdString(path));
    const QJsonObject meta = loader->metaData(); // reads the file; loads no code
    if (meta.isEmpty()) {
        info.id = std::filesystem::path(path).stem().string();
        info.error = "not a kb plugin (no Qt plugin metadata)";
        plugins_.push_back(std::move(info));
        return;
    }
    const QJsonObject manifest = meta.value(QLatin1String("MetaData")).toObject();
    info.id = manifest.value(QLatin1String("Id")).toString().toStdString();
    if (info.id.empty())
        info.id = std::filesystem::path(path).stem().string();
    info.name = manifest.value(QLatin1String("Name")).toString().toStdString();
    info.version = manifest.value(QLatin1String("Version")).toString().toStdString();
    info.api = manifest.value(QLatin1String("Api")).toInt(0);

    auto fail = [&](std::string why) {
        info.error = std::move(why);
        plugins_.push_back(std::move(info));
    };
    const QString iid = meta.value(QLatin1String("IID")).toString();
    if (iid != QLatin1String(KB_RECORDTYPE_IID))
        return fail("expected IID " KB_RECORDTYPE_IID " but found " + iid.toStdString());
    if (info.api != Kb::SdkApiVersion)
        return fail("built for SDK API " + std::to_string(info.api) + ", this kb provides API " +
                    std::to_string(Kb::SdkApiVersion) + "; rebuild the plugin");
    std::string error;
    if (!parseManifest(manifest, &info.schema, &error))
        return fail(error);
    for (const auto &p : plugins_) {
        if (p.id == info.id && p.state == PluginState::Loaded) {
            info.state = PluginState::Shadowed;
            info.error = "shadowed by " + p.path;
            plugins_.push_back(std::move(info));
            return;
        }
    }
    if (std::string conflict = conflictWithAccepted(info.schema); !conflict.empty())
        return fail(conflict);

    loader->setLoadHints(QLibrary::ResolveAllSymbolsHint | QLibrary::PreventUnloadHint);
    QObject *object = loader->instance();
    if (!object)
        return fail("cannot load: " + loader->errorString().toStdString());
    info.instance = qobject_cast<Kb::RecordType *>(object);
    if (!info.instance)
        return fail("does not implement Kb::RecordType");
    info.state = PluginState::Loaded;
    plugins_.push_back(std::move(info));
    loaders_.push_back(std::move(loader));
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
