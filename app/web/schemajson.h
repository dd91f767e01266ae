#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include <string>
#include <vector>

namespace kb {
class Session;
struct FieldSpec;
struct Finding;

namespace web {

QJsonArray findingsJson(const std::vector<Finding> &findings);
// GET /api/schema: the record types, common fields, vocabularies, views, facets and
// sorts of the loaded plugins. Under the session's lock.
QJsonObject schemaJson(Session &session);

} // namespace web
} // namespace kb
