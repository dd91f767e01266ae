#pragma once

#include <string>
#include <vector>

class QJsonObject;

namespace kb {
struct TypeSchema;

// Reads a plugin manifest (the JSON inside Q_PLUGIN_METADATA) into a schema. Every key is
// checked for its type and every unknown key is reported (with the key it was probably
// meant to be), so a typo fails loudly instead of switching a feature off. Returns false
// with one problem per entry, each naming the key path ("Fields[1] (mood).Required: ...").
bool parseManifest(const QJsonObject &manifest, TypeSchema *schema,
                   std::vector<std::string> *problems);

} // namespace kb
