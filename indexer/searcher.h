#pragma once

#include "core/kbroot.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::search {

class IndexSchema;
class Lexicon;

struct SearchOptions {
    int offset = 0, limit = 10;
    // "relevance" (default), "date" (newest first), "oldest", FIELD or -FIELD for any
    // sortable field of the schemas (ascending, or descending with '-').
    std::string sort = "relevance";
    bool snippets = true, facets = true;
    // Count every match and its facets exactly, however many there are (otherwise above
    // about 2,000 matches both are estimated from a uniform sample).
    bool exactCounts = false;
    // Index terms of records the caller may not see (restricted records for a web visitor
    // without a token): left out of hits, counts and facets alike.
    std::vector<std::string> excludeTerms;
    // When not empty, only records with one of these terms (public ones for a stranger).
    std::vector<std::string> requireTerms;
};

struct SearchHit {
    int rank = 0;
    std::string id, path, type, title, date;
    double score = 0;
    std::string snippet; // matches wrapped in kMarkOpen / kMarkClose
    std::vector<std::pair<std::string, std::string>> fields; // key fields, "a, b" for lists
};

struct FacetCount {
    std::string value;
    long count = 0;
};

struct SearchResult {
    std::string query;
    long total = 0;              // every hit the pages can show
    long exactTotal = 0;         // records matching every word (the first hits)
    bool totalEstimated = false; // total and exactTotal estimated from a sample (large results)
    bool relaxed = false;        // fewer than kFillBelow records matched every word, so records
                                 // matching some of them follow, ranked after those
    static constexpr long kFillBelow = 10;
    std::vector<SearchHit> hits;
    std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;
    bool facetsSampled = false;     // large results: counts estimated from a uniform sample
    std::vector<std::string> notes; // why nothing can match, how the query was read
    std::vector<std::vector<std::string>> synonyms; // entries searched in all their forms
    // "Did you mean": the query with each word no record holds replaced by the closest one
    // the records do hold; set only when no record has every word. Empty when none.
    std::string suggestion;
};

// Runs queries against the live index of a root. Reopens and retries when a writer
// changed the database underneath (DatabaseModifiedError) or swapped in a rebuild.
class Searcher {
public:
    Searcher(KbRoot root, const IndexSchema &schema, const Lexicon &lexicon);
    ~Searcher();

    bool open(std::string *error); // false when there is no index yet, or it is unreadable
    // For a long-lived searcher (kb serve): ranks from posting lists decoded once per index
    // revision and kept in memory (MemoryMatcher, PostingCache), not re-read from disk per
    // search; the same hits, with exact totals. A one-off search would only pay to decode.
    void keepPostingsInMemory();
    // Throws QueryError for queries that cannot be parsed.
    SearchResult search(std::string_view query, const SearchOptions &options);
    // Records like the one with `id` (its most telling terms, itself left out). Throws
    // QueryError when the id is not in the index.
    SearchResult similar(std::string_view id, const SearchOptions &options);
    // The "did you mean" for a query (see SearchResult::suggestion).
    std::string suggest(std::string_view query);
    std::vector<std::string> sortNames() const;
    // Which committed state of the index is open (folder and revision): results for the
    // same version and query are the same, so they may be cached under it.
    std::string indexVersion() const;
    // The mapping signature the open index was built with.
    std::string indexSignature() const;
    // Records in the open index (0 when none is open).
    long documentCount() const;
    // The file digest its last sync stored (search::scanDigest), "" when unknown.
    std::string storedScanDigest() const;

private:
    SearchResult searchWords(std::string_view query, const SearchOptions &options);
    std::string metadata(const char *key) const; // "" when absent or unreadable

    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace kb::search
