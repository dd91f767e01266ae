#include "web/searcherpool.h"

#include "indexer/searcher.h"
#include "services/session.h"

#include <cstdlib>

namespace kb::web {

SearcherPool::SearcherPool(Session &session) : session_(session) {}

SearcherPool::~SearcherPool() = default;

bool SearcherPool::ranksInMemory()
{
    static const bool on = [] {
        const char *v = std::getenv("KB_SERVE_RANK_IN_MEMORY");
        return !(v && std::string(v) == "0");
    }();
    return on;
}

SearcherPool::Lease::Lease(SearcherPool &pool) : pool_(pool)
{
    std::lock_guard lock(pool_.mutex_);
    if (!pool_.idle_.empty()) {
        searcher_ = std::move(pool_.idle_.back());
        pool_.idle_.pop_back();
    }
}

SearcherPool::Lease::~Lease()
{
    if (!searcher_)
        return;
    std::lock_guard lock(pool_.mutex_);
    pool_.idle_.push_back(std::move(searcher_));
}

search::Searcher *SearcherPool::Lease::open(std::string *error)
{
    if (!searcher_) {
        Session &s = pool_.session_;
        searcher_ = std::make_unique<search::Searcher>(s.root(), s.indexSchema(), s.lexicon());
        if (ranksInMemory())
            searcher_->keepPostingsInMemory();
    }
    if (!searcher_->open(error)) {
        searcher_.reset();
        return nullptr;
    }
    return searcher_.get();
}

} // namespace kb::web
