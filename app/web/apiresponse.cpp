#include "web/apiresponse.h"

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
    return json(o, status);
}

} // namespace kb::web
