#pragma once

#include "services/readclearance.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kb {
class Session;
struct FieldSpec;
struct Finding;
struct Record;
namespace search {
struct SearchOptions;
struct SearchResult;
} // namespace search

// What one reader may see of the knowledge base. Every list, record, reference, backlink,
// search (its hits, count and facets), finding and plugin view a front end shows is read
// through it, so clearance is applied in this one place: an uncleared reader learns
// nothing of a restricted record (ReadClearance), not the record, not its id in another
// record's references, not a count. A cleared reader sees everything. Used under the
// session's lock, like the session's store.
class ReaderScope {
public:
    ReaderScope(Session &session, const ReadClearance &clearance, ReadLevel level);

    bool cleared() const { return level_ == ReadLevel::Restricted; } // sees everything
    ReadLevel level() const { return level_; }
    bool hides(const Record &r) const;
    bool hidesId(const std::string &id) const;
    // The record with this id, or nullptr when there is none or it is hidden.
    const Record *byId(const std::string &id) const;
    // The records of `type` (every type when empty) the reader may see.
    std::vector<const Record *> records(std::string_view type) const;
    // For the host services a plugin reads through: nullptr when everything is visible.
    std::function<bool(const Record &)> visibility() const;
    // The ids in a reference field's items the reader may see.
    std::vector<std::string> visibleReferences(const FieldSpec &field,
                                               const std::vector<std::string> &ids) const;

    struct Backlink {
        const Record *from;
        std::string field; // the reference field of `from` that names the record
    };
    // Visible records whose reference fields name `r`.
    std::vector<Backlink> backlinks(const Record &r) const;

    // Search: what the index must leave out for this reader (restricted and unreadable
    // files), set on the options before the search runs...
    void limit(search::SearchOptions &options) const;
    // ...and the references in its hits the reader may not see, removed after.
    void hideReferences(search::SearchResult &result) const;
    // Findings about files the reader may see.
    std::vector<Finding> findings(std::vector<Finding> all) const;

    // The ids of the records this reader may not see, for a query that names one
    // (origins:ID): it is made to name an id nothing has, so it finds what a made-up id finds.
    std::vector<std::string> hiddenIds() const;
    static std::string disguiseIds(std::string query, const std::vector<std::string> &ids);
    static void undisguise(std::string &text); // in what the search says of the query

private:
    Session &session_;
    const ReadClearance &clearance_;
    const ReadLevel level_;
};

} // namespace kb
