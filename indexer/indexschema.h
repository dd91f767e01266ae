#pragma once

#include "core/schema.h"
#include "indexer/indexformat.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kb {
class Vocabularies;
}

namespace kb::search {

class ConceptTerms;

// How one front matter field is indexed and queried.
struct IndexedField {
    std::string name;   // "status": also its name in queries
    std::string prefix; // boolean term prefix, "XSTATUS:"; "" when not a filter
    FieldSpec spec;
    SlotNumber slot = kNoSlot; // dates and sort fields
    bool facet = false;
    bool freeText = false; // value text is also searchable without a prefix
};

// The index mapping derived from the loaded plugins' schemas: what the indexer writes
// and what `field:value` in a query means. Its signature, stored in the index, changes
// whenever the mapping, the analysis or the vocabularies change, forcing a rebuild.
class IndexSchema {
public:
    static IndexSchema build(const std::vector<const TypeSchema *> &types,
                             const Vocabularies &vocab);

    const IndexedField *field(std::string_view name) const;
    const TypeSchema *type(std::string_view type) const;
    const std::vector<IndexedField> &fields() const { return fields_; }
    const std::vector<std::string> &facetNames() const { return facets_; }
    std::vector<std::string> typeNames() const;
    const std::string &signature() const { return signature_; }
    const Vocabularies &vocab() const { return *vocab_; }
    // The glossary entries the indexer marks with one term each.
    const ConceptTerms &concepts() const { return *concepts_; }

private:
    std::vector<IndexedField> fields_; // common fields first, then plugin fields by name
    std::vector<std::string> facets_;  // "type", "year", then schema facets
    std::map<std::string, const TypeSchema *, std::less<>> types_;
    std::string signature_;
    const Vocabularies *vocab_ = nullptr;
    std::shared_ptr<const ConceptTerms> concepts_;
};

// "XSTATUS" -> "XSTATUS:": multi-letter prefixes take a colon so values never run into
// the prefix (Omega's convention). Single-letter prefixes stay as they are.
std::string termPrefix(const std::string &declared);

// Lower-cased, folded value for boolean terms; truncated to fit Xapian's term limit.
std::string booleanTerm(const std::string &prefix, std::string_view value);

} // namespace kb::search
