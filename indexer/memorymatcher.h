#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace Xapian {
class Database;
class Query;
} // namespace Xapian

namespace kb::search {

class PostingCache;

// Ranks a query by relevance from decoded posting lists in memory (PostingCache), with
// the same weights Xapian's matcher gives under ImpactWeight: each matching term adds
// its impact times its BM25 idf, OP_FILTER and OP_AND_NOT operands add nothing, equal
// weights go to the lower docid. It sees every match, so the count is exact.
// Xapian 1.4 has no block-max skipping: on words in half of 100,000 records it scores
// every match from a freshly decoded list (2 ms); from memory that is a merge of arrays.
// Terms, AND, OR, AND_NOT, AND_MAYBE and FILTER are evaluated, and phrases with Xapian's
// help (it checks the positions); a query with anything else (value ranges, NEAR,
// weight scaling, MatchAll) is left to Xapian.
class MemoryMatcher {
public:
    struct Hit {
        std::uint32_t docid;
        double weight;
    };
    struct Result {
        std::vector<Hit> page;             // hits first .. first+count-1, best first
        std::vector<std::uint32_t> docids; // every match, ascending
    };

    // nullopt when the query holds a part this does not evaluate. Every term leaf must
    // have wqf 1 (ParsedQuery::unitWqf): the weights assume it and Xapian 1.4 cannot
    // tell a leaf's wqf.
    static std::optional<Result> run(const Xapian::Query &query, const Xapian::Database &db,
                                     PostingCache &cache, std::size_t first, std::size_t count);
    // How many searches this process ranked here rather than through Xapian: what the
    // equivalence test checks, so it cannot pass with the fast path silently off.
    static std::uint64_t timesRanked();
};

} // namespace kb::search
