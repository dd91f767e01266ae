#include "services/privatejsonlist.h"

#include "core/atomicfile.h"

#include <QFile>
#include <QJsonDocument>

#include <filesystem>

namespace kb {

QJsonArray readPrivateJsonList(const std::string &path, const char *what, std::string *error)
{
    QFile f(QString::fromStdString(path));
    if (!f.exists())
        return {};
    if (!f.open(QIODevice::ReadOnly)) {
        *error = path + ": cannot be read";
        return {};
    }
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isArray()) {
        *error = path + ": not a list of " + what + " (" + pe.errorString().toStdString() + ")";
        return {};
    }
    return doc.array();
}

bool writePrivateJsonList(const std::string &path, const QJsonArray &list, std::string *error)
{
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (!writeFileAtomically(path, QJsonDocument(list).toJson().toStdString(), false, error))
        return false;
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    return true;
}

} // namespace kb
