#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kb {
class Session;
namespace search {
class Searcher;
}

namespace web {

// Index readers kept open between requests, one per concurrent search: opening a Xapian
// database and its caches costs more than most searches.
class SearcherPool {
public:
    explicit SearcherPool(Session &session);
    ~SearcherPool();

    // KB_SERVE_RANK_IN_MEMORY=0 ranks every search through Xapian's matcher, as the CLI
    // does; by default a long-lived server ranks from posting lists it keeps decoded in
    // memory (bench/RESULTS.md: the two give the same hits, scores and counts).
    static bool ranksInMemory();

    // A searcher borrowed for one request; a new one is opened when all are busy. Each
    // reopens the index first, so changes committed since show up.
    class Lease {
    public:
        explicit Lease(SearcherPool &pool);
        ~Lease();
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        search::Searcher *open(std::string *error); // nullptr with the reason

    private:
        SearcherPool &pool_;
        std::unique_ptr<search::Searcher> searcher_;
    };

private:
    Session &session_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<search::Searcher>> idle_;
};

} // namespace web
} // namespace kb
