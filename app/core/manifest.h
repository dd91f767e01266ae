#pragma once

#include <string>

class QJsonObject;

namespace kb {
struct TypeSchema;

// Reads a plugin manifest (the JSON inside Q_PLUGIN_METADATA) into a schema. Returns
// false with a message naming the offending key on any malformed part.
bool parseManifest(const QJsonObject &manifest, TypeSchema *schema, std::string *error);

} // namespace kb
