#pragma once

#include <map>
#include <string>
#include <vector>

namespace kb {
struct TypeSchema;

// The text of a new record: common keys, every schema field (given value, else default,
// else empty with a `# required` note), and the type's body sections in both languages.
// `values` holds already-serialised YAML per field name; `sections` optional Markdown per
// body section, in schema order (empty ones stay empty).
std::string renderRecordTemplate(const TypeSchema &schema, const std::string &id,
                                 const std::string &date, const std::string &title,
                                 const std::map<std::string, std::string> &values,
                                 const std::vector<std::string> &sections = {});

} // namespace kb
