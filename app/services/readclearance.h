#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb {
struct Record;
namespace search {
class IndexSchema;
}

// Who may read what, as the plugins declare it: a record is restricted when one of its
// fields holds one of that field's "Clearance" values (kb's types: confidentiality:
// restricted). Owned by the host, the same for every type and every front end; kb serve
// applies it to every reader it has not cleared.
class ReadClearance {
public:
    explicit ReadClearance(const search::IndexSchema &schema);

    // As the index reads values: any list item, in any case ("Restricted", [restricted]).
    bool restricts(const Record &r) const;
    // The index terms of what an uncleared reader must not find: restricted records, and
    // files whose front matter kb could not parse (the unparsed part may say restricted:
    // fail closed).
    const std::vector<std::string> &hiddenTerms() const { return hiddenTerms_; }

private:
    std::vector<std::pair<std::string, std::vector<std::string>>> fields_; // name, values
    std::vector<std::string> hiddenTerms_;
};

} // namespace kb
