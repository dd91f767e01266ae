#include "web/requestvalues.h"

#include "core/schema.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QVariant>

namespace kb::web {

std::string param(const Params &p, const std::string &key, const std::string &fallback)
{
    auto it = p.find(key);
    return it == p.end() ? fallback : it->second;
}

bool intParam(const Params &p, const std::string &key, int fallback, int min, int max, int *out,
              std::string *error)
{
    const std::string v = param(p, key);
    if (v.empty()) {
        *out = fallback;
        return true;
    }
    long n = 0;
    for (char c : v) {
        if (c < '0' || c > '9' || n > max) {
            *error = key + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max);
            return false;
        }
        n = n * 10 + (c - '0');
    }
    if (n < min || n > max) {
        *error = key + " must be a whole number from " + std::to_string(min) + " to " +
                 std::to_string(max);
        return false;
    }
    *out = int(n);
    return true;
}

bool parseObject(const QByteArray &body, QJsonObject *out, std::string *error)
{
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = "the request body is not valid JSON (" + pe.errorString().toStdString() +
                 " at byte " + std::to_string(pe.offset) + ")";
        return false;
    }
    if (!doc.isObject()) {
        *error = "the request body must be a JSON object";
        return false;
    }
    *out = doc.object();
    return true;
}

std::string shapeProblem(const FieldSpec *spec, const QJsonValue &v)
{
    if (v.isObject())
        return "expects text or a list of values, not an object";
    if (!v.isArray())
        return {};
    for (const auto &item : v.toArray())
        if (item.isObject() || item.isArray())
            return "a list holds plain values, not objects or lists";
    if (spec && spec->type != FieldType::List && v.toArray().size() > 1)
        return "takes one value, not a list";
    return {};
}

// A form value as the strings `kb new --FIELD` would receive.
std::vector<std::string> givenStrings(const QJsonValue &v)
{
    std::vector<std::string> out;
    if (v.isArray()) {
        for (const auto &item : v.toArray())
            if (!item.toVariant().toString().trimmed().isEmpty())
                out.push_back(item.toVariant().toString().trimmed().toStdString());
    } else if (v.isBool()) {
        out.push_back(v.toBool() ? "true" : "false");
    } else if (!v.isNull() && !v.isUndefined()) {
        const QString s = v.toVariant().toString().trimmed();
        if (!s.isEmpty())
            out.push_back(s.toStdString());
    }
    return out;
}

} // namespace kb::web
