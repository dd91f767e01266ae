#pragma once

#include "web/apiresponse.h"

#include "services/readclearance.h"

#include <atomic>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kb {
class Session;
struct FieldSpec;
struct Record;
namespace search {
class Searcher;
struct SearchResult;
} // namespace search
} // namespace kb

namespace kb::web {

using Params = std::multimap<std::string, std::string>;

// What the caller of a request may do, decided by the server from its address and token.
struct Access {
    bool write = true;      // file, edit and move records
    bool restricted = true; // read records a field's "Clearance" values restrict
};

// The JSON API over everything the CLI does. Transport-free (the server maps HTTP onto
// it), so handlers are plain calls. Thread-safe: the session (plugins, records, writes)
// is used under one mutex; searches run in parallel on pooled index readers.
class WebApi {
public:
    explicit WebApi(Session &session);
    ~WebApi();

    void recordsChanged() { stale_ = true; } // files changed on disk: reload on next use

    ApiResponse info(const Access &a);
    ApiResponse schema();
    ApiResponse search(const Params &p, const Access &a);
    ApiResponse similar(const Params &p, const Access &a);
    ApiResponse listRecords(const Params &p, const Access &a);
    ApiResponse record(const std::string &id, const Access &a);
    ApiResponse createRecord(const QByteArray &body, const Access &a);
    ApiResponse updateRecord(const std::string &id, const QByteArray &body, const Access &a);
    ApiResponse view(const std::string &plugin, const std::string &name, const Params &p,
                     const Access &a);
    ApiResponse moveCard(const std::string &plugin, const std::string &name, const QByteArray &body,
                         const Access &a);
    ApiResponse plugins(const Access &a);
    ApiResponse check(const Access &a);

private:
    class SearcherLease;
    ApiResponse runSearch(const Params &p, const Access &a, bool similar);
    std::vector<std::string> hiddenTerms(const Access &a) const;
    bool isRestricted(const Record &r) const;
    // Clients not cleared for restricted records learn nothing of them: not the record,
    // not its id in another's references, not a count. Under mutex_.
    bool hidden(const Access &a, const Record &r) const;
    bool hiddenId(const Access &a, const std::string &id) const;
    std::function<bool(const Record &)> visibility(const Access &a) const;
    QJsonValue visibleValue(const Access &a, const FieldSpec &f, const QJsonValue &v) const;
    void hideReferences(const Access &a, search::SearchResult &r); // takes mutex_
    std::string withoutHiddenIds(const Access &a, std::string query,
                                 const std::string &indexVersion); // takes mutex_
    void refreshStore();                                           // under mutex_

    Session &s_;
    std::mutex mutex_;
    std::atomic<bool> stale_{false};
    std::mutex poolMutex_;
    std::vector<std::unique_ptr<search::Searcher>> idle_;
    ReadClearance clearance_;
    std::vector<std::string> restrictedIds_; // under mutex_, as of restrictedIdsVersion_
    std::string restrictedIdsVersion_;

    // Answers of recent searches, keyed by index version and request: a repeated search
    // (the next visitor, paging back) costs a lookup. A commit changes the version, so a
    // cached answer is never stale.
    std::mutex cacheMutex_;
    std::list<std::pair<std::string, QByteArray>> cache_; // most recent first
    std::unordered_map<std::string, decltype(cache_)::iterator> cacheIndex_;
};

} // namespace kb::web
