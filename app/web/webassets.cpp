#include "web/webassets.h"

#include <QDir>
#include <QFile>

#include <map>

// Resources of a static library must be registered by hand, outside any namespace.
static void registerWebAssets()
{
    Q_INIT_RESOURCE(kbwebassets);
}

namespace kb::web {
namespace {

const char *mimeTypeOf(const QString &name)
{
    if (name.endsWith(".html"))
        return "text/html; charset=utf-8";
    if (name.endsWith(".js"))
        return "text/javascript; charset=utf-8";
    if (name.endsWith(".css"))
        return "text/css; charset=utf-8";
    if (name.endsWith(".svg"))
        return "image/svg+xml";
    return "application/octet-stream";
}

std::map<std::string, WebAsset, std::less<>> loadAll()
{
    registerWebAssets();
    std::map<std::string, WebAsset, std::less<>> out;
    const QDir dir(QStringLiteral(":/kbweb"));
    for (const QString &name : dir.entryList(QDir::Files)) {
        QFile f(dir.filePath(name));
        if (f.open(QIODevice::ReadOnly))
            out.emplace(name.toStdString(), WebAsset{f.readAll().toStdString(), mimeTypeOf(name)});
    }
    return out;
}

} // namespace

const WebAsset *findAsset(std::string_view name)
{
    static const auto assets = loadAll();
    auto it = assets.find(name);
    return it == assets.end() ? nullptr : &it->second;
}

} // namespace kb::web
