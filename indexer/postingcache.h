#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace Xapian {
class Database;
}

namespace kb::search {

// One term's posting list, decoded: docids ascending, and each one's impact (the stored
// wdf, which ImpactWeight caps at kImpactScale, so it fits a byte).
struct TermPostings {
    std::vector<std::uint32_t> docids;
    std::vector<std::uint8_t> impacts;
    std::size_t bytes() const { return docids.size() * 5 + 64; }
};

// Decoded posting lists of the terms a long-lived searcher (kb serve) has searched, for
// one revision of the index, least recently used first out beyond a byte budget. Xapian
// re-decodes a posting list on every search; a term in half of 100,000 records costs
// about 1 ms to decode, once, and 0.1 ms to walk from memory (bench/RESULTS.md).
class PostingCache {
public:
    static constexpr std::size_t kBudgetBytes = std::size_t(192) << 20;

    // The cache of `version` ("path@revision"), shared by the searchers of one server;
    // only the newest revision's is kept.
    static std::shared_ptr<PostingCache> of(const std::string &version);

    // The postings of `term` in `db` (which must be at this cache's revision).
    std::shared_ptr<const TermPostings> get(const Xapian::Database &db, const std::string &term);

private:
    using Lru = std::list<std::pair<std::string, std::shared_ptr<const TermPostings>>>;
    std::mutex mutex_;
    Lru lru_; // most recently used first
    std::unordered_map<std::string, Lru::iterator> byTerm_;
    std::size_t bytes_ = 0;
};

} // namespace kb::search
