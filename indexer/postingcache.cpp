#include "indexer/postingcache.h"

#include "indexer/impactweight.h"

#include <xapian.h>

#include <algorithm>

namespace kb::search {

std::shared_ptr<PostingCache> PostingCache::of(const std::string &version)
{
    static std::mutex mutex;
    static std::string lastVersion;
    static std::shared_ptr<PostingCache> last;
    std::lock_guard lock(mutex);
    if (version != lastVersion || !last) {
        last = std::make_shared<PostingCache>();
        lastVersion = version;
    }
    return last;
}

std::shared_ptr<const TermPostings> PostingCache::get(const Xapian::Database &db,
                                                      const std::string &term)
{
    {
        std::lock_guard lock(mutex_);
        if (auto it = byTerm_.find(term); it != byTerm_.end()) {
            lru_.splice(lru_.begin(), lru_, it->second);
            return it->second->second;
        }
    }
    // Decoded outside the lock: two searchers may both decode a term once, never wait.
    auto postings = std::make_shared<TermPostings>();
    const Xapian::doccount df = db.get_termfreq(term);
    postings->docids.reserve(df);
    postings->impacts.reserve(df);
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        postings->docids.push_back(*p);
        postings->impacts.push_back(std::uint8_t(std::min(p.get_wdf(), kImpactScale)));
    }
    std::lock_guard lock(mutex_);
    if (auto it = byTerm_.find(term); it != byTerm_.end())
        return it->second->second;
    lru_.emplace_front(term, postings);
    byTerm_[term] = lru_.begin();
    bytes_ += postings->bytes();
    while (bytes_ > kBudgetBytes && lru_.size() > 1) {
        bytes_ -= lru_.back().second->bytes();
        byTerm_.erase(lru_.back().first);
        lru_.pop_back();
    }
    return postings;
}

} // namespace kb::search
