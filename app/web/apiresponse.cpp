#include "web/apiresponse.h"

#include "web/chinesemessages.h"

#include <QJsonDocument>

namespace kb::web {

ApiResponse ApiResponse::json(const QJsonObject &o, int status)
{
    return {status, QJsonDocument(o).toJson(QJsonDocument::Compact)};
}

ApiResponse ApiResponse::error(int status, const std::string &message, const QJsonObject &extra)
{
    QJsonObject o = extra;
    o.insert("error", QString::fromStdString(message));
    o.insert("status", status);
    // The same words in Chinese where they are known, for the page in either language:
    // error_zh, hint_zh, and fields_zh beside fields (per-field messages).
    const auto zh = [](const QString &en) {
        return QString::fromStdString(chineseFor(en.toStdString()));
    };
    if (const QString z = zh(QString::fromStdString(message)); !z.isEmpty())
        o.insert("error_zh", z);
    if (const QString z = zh(o.value("hint").toString()); !z.isEmpty())
        o.insert("hint_zh", z);
    if (o.value("fields").isObject()) {
        QJsonObject fieldsZh;
        const QJsonObject fields = o.value("fields").toObject();
        for (auto it = fields.begin(); it != fields.end(); ++it)
            if (const QString z = zh(it.value().toString()); !z.isEmpty())
                fieldsZh.insert(it.key(), z);
        if (!fieldsZh.isEmpty())
            o.insert("fields_zh", fieldsZh);
    }
    return json(o, status);
}

} // namespace kb::web
