#pragma once

#include <QByteArray>
#include <QJsonObject>

#include <string>

namespace kb::web {

// What a handler answers: a status and a JSON (or other) body. Errors are always JSON
// objects {"error": message, ...} so a client never has to parse HTML.
struct ApiResponse {
    int status = 200;
    QByteArray body;
    std::string contentType = "application/json; charset=utf-8";

    static ApiResponse json(const QJsonObject &o, int status = 200);
    static ApiResponse error(int status, const std::string &message, const QJsonObject &extra = {});
};

} // namespace kb::web
