#pragma once

#include <QJsonObject>
#include <QJsonValue>

#include <map>
#include <string>
#include <vector>

class QByteArray;

namespace kb {
struct FieldSpec;

namespace web {

using Params = std::multimap<std::string, std::string>;

// A query parameter, or `fallback` when absent.
std::string param(const Params &p, const std::string &key, const std::string &fallback = {});
// A whole number from a query parameter, within [min, max]; false with the reason when
// malformed.
bool intParam(const Params &p, const std::string &key, int fallback, int min, int max, int *out,
              std::string *error);
// A request body that must be one JSON object; false with the reason and its byte.
bool parseObject(const QByteArray &body, QJsonObject *out, std::string *error);

// What is wrong with the shape of a form value, or "": an object is never a field value,
// and several values fit only a list (`kb new` would silently keep the last one).
std::string shapeProblem(const FieldSpec *spec, const QJsonValue &v);
// A form value as the strings `kb new --FIELD` would receive.
std::vector<std::string> givenStrings(const QJsonValue &v);

} // namespace web
} // namespace kb
