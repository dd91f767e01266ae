#pragma once

#include <QJsonObject>

#include <string>

namespace kb {
struct FieldSpec;
struct TypeSchema;

// {"zh": ..., "en": ...}; English falls back to the Chinese.
QJsonObject labelJson(const std::string &zh, const std::string &en);
// A field as the host understood its manifest: type, labels, values, vocabulary, help.
// The web form builds its inputs from it; a plugin reads it through Kb::Host.
QJsonObject fieldSpecJson(const FieldSpec &f);
// A record type: {"type", "plugin", "label", "folder", "fields", "sections"}.
QJsonObject typeSchemaJson(const TypeSchema &t, const std::string &pluginId);

} // namespace kb
