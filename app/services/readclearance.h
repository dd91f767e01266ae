#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb {
struct Record;
namespace search {
class IndexSchema;
}

// How far a reader is cleared, lowest first. Anonymous visitors get what the server's
// `anonymous` setting says (none, read-public, read-internal); signed-in people read
// internal records, and restricted ones when a group of theirs is cleared for them.
enum class ReadLevel { None, Public, Internal, Restricted };

// Who may read what, as the plugins declare it: a record is restricted when one of its
// fields holds one of that field's "Clearance" values (kb's types: confidentiality:
// restricted), and public when one holds a "Public" value (confidentiality: public).
// Anything else is internal: a record of a type that declares neither, or one without
// the field, is not shown to the public (fail closed). Owned by the host, the same for
// every type and every front end.
class ReadClearance {
public:
    explicit ReadClearance(const search::IndexSchema &schema);

    // As the index reads values: any list item, in any case ("Restricted", [restricted]).
    bool restricts(const Record &r) const;
    bool isPublic(const Record &r) const;
    bool readableAt(const Record &r, ReadLevel level) const;
    // Whether this value of this field makes a record restricted (a form's value, before
    // there is a record).
    bool restrictingValue(const std::string &field, std::string value) const;

    // For a search at `level`: the index terms of what the reader must not find
    // (restricted records, and files whose front matter kb could not parse, as the
    // unparsed part may say restricted: fail closed)...
    std::vector<std::string> hiddenTerms(ReadLevel level) const;
    // ...and, when not empty, the terms one of which a record must have (the public ones).
    std::vector<std::string> requiredTerms(ReadLevel level) const;

private:
    using FieldValues = std::vector<std::pair<std::string, std::vector<std::string>>>;
    static bool holdsAny(const Record &r, const FieldValues &fields);
    FieldValues restricting_, publishing_; // field name, values
    std::vector<std::string> restrictedTerms_, publicTerms_;
};

} // namespace kb
