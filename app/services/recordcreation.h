#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb {
class Session;
struct FieldSpec;
struct FieldValue;
struct TypeSchema;

// What a user asks for when filing a record: `kb new` options or the web form.
struct NewRecordRequest {
    std::string title;
    std::string date; // YYYY-MM-DD; empty means today
    // Field name -> given values; a list field splits each value at commas.
    std::vector<std::pair<std::string, std::vector<std::string>>> values;
    // Markdown per body section, in schema order; empty sections stay as the template has
    // them. Without any, the file is exactly the template `kb new` writes.
    std::vector<std::string> sections;
    bool requireAll = false; // refuse missing required fields (forms), not only bad ones
};

struct FieldProblem {
    std::string field, message;
};

struct NewRecordResult {
    std::string id, path;
    std::vector<FieldProblem> problems; // why nothing was written, per field
    bool refusedByRules = false;        // the problems are the type's rules saying no
    std::string error;                  // an environment error (disk, lock ...)
};

// A value as a user typed it (`kb new --FIELD`, `kb edit --set`, a web form): list fields
// split each given string at commas, other fields take the last one. Null when nothing
// (or only empty text) was given.
FieldValue givenFieldValue(const FieldSpec &spec, const std::vector<std::string> &given);
// The value as YAML for the front matter: a flow list or a scalar; "" for null.
std::string yamlOf(const FieldSpec &spec, const FieldValue &value);

// Checks the values against the schema and vocabularies, draws a free id and writes the
// record from the type's template, exclusively; re-indexes it. The one way records are
// created, so the CLI and the web write identical files.
bool createRecord(Session &s, const TypeSchema &schema, const NewRecordRequest &request,
                  NewRecordResult *result);

} // namespace kb
