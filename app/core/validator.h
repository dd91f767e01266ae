#pragma once

#include <string>
#include <vector>

#include "core/finding.h"

namespace kb {

struct Record;
struct TypeSchema;
struct FieldSpec;
struct FieldValue;
class Vocabularies;

// Checks a record against its type's schema: common keys, required fields, value types,
// enums and vocabularies, dates. Findings carry the line of the offending key.
std::vector<Finding> validateRecord(const Record &record, const TypeSchema &schema,
                                    const Vocabularies &vocab);

// Checks one value against one field; returns "" when it is fine, else the message.
std::string checkFieldValue(const FieldSpec &spec, const FieldValue &value,
                            const Vocabularies &vocab);

// Whether `given` says what `current` already holds: the same text or items, where a
// vocabulary entry written as its id, label or alias counts as that entry. An edit writes
// only values that differ, so a form saved unchanged leaves the file byte for byte.
bool sameFieldValue(const FieldSpec &spec, const FieldValue &given, const FieldValue *current,
                    const Vocabularies &vocab);

// Ids are lowercase ASCII letters, digits, '-', '_' and '.', starting with a letter or
// digit, at most 100 bytes: safe as a file name and as a Xapian term.
bool isValidId(const std::string &id);

} // namespace kb
