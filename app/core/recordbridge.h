#pragma once

#include <kb/recorddata.h>

namespace kb {
struct Record;
struct TypeSchema;

// The plugin-facing view of a record: front matter as JSON, typed by the schema
// (bool fields become JSON booleans, list fields arrays), body as QString.
Kb::RecordData toRecordData(const Record &record, const std::string &id, const TypeSchema *schema);

} // namespace kb
