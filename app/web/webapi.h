#pragma once

#include "web/apiresponse.h"
#include "web/requestvalues.h"
#include "web/responsecache.h"
#include "web/searcherpool.h"

#include "services/readclearance.h"
#include "services/rights.h"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kb {
class ReaderScope;
class Session;
} // namespace kb

namespace kb::web {

// What the caller of a request may do, decided by the server from its address and token.
struct Access {
    Rights rights = Rights::everything();
    std::string user;           // who asks, when signed in: the author of their writes
    bool signInOffered = false; // the server has local accounts (a sign-in page)
    bool cleared() const { return rights.read == ReadLevel::Restricted; }
};

// The JSON API over everything the CLI does. Transport-free (the server maps HTTP onto
// it), so handlers are plain calls; each reads through the caller's ReaderScope. The
// jobs live beside it: request values and form coercion (requestvalues), the schema
// (schemajson), record pages (recordpage) and forms (recordforms), plugin views
// (pluginviews), index readers (searcherpool) and the answer cache (responsecache).
// Thread-safe: the session (plugins, records, writes) is used under one mutex; searches
// run in parallel on pooled index readers.
class WebApi {
public:
    explicit WebApi(Session &session);
    ~WebApi();

    void recordsChanged() { stale_ = true; } // files changed on disk: reload on next use
    // Runs `job` while no write of this API is under way (a pull changing the work tree).
    void whileNoWrites(const std::function<void()> &job);

    ApiResponse info(const Access &a, const QJsonObject &sync = {}); // sync: kb serve --pull
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
    // GET /api/records/ID/history, POST /api/records/ID/restore {"version"}.
    ApiResponse history(const std::string &id, const Access &a);
    ApiResponse restore(const std::string &id, const QByteArray &body, const Access &a);
    ApiResponse plugins(const Access &a);
    ApiResponse check(const Access &a);
    // GET /feeds/records.atom?type=&limit=: the newest records the reader may see.
    // GET /feeds/views/PLUGIN/VIEW.ics?owner=: a board's open due dates as a calendar.
    // `baseUrl` ("https://kb.example.com") makes the links.
    ApiResponse atom(const Params &p, const Access &a, const std::string &baseUrl);
    ApiResponse calendar(const std::string &plugin, const std::string &name, const Params &p,
                         const Access &a, const std::string &baseUrl);

private:
    ApiResponse runSearch(const Params &p, const Access &a, bool similar);
    ReaderScope scope(const Access &a); // what this caller may see; use under mutex_
    // The ids a reader at `level` may not see; takes mutex_.
    std::vector<std::string> hiddenIds(const std::string &indexVersion, ReadLevel level);
    void refreshStore();         // under mutex_
    void actAs(const Access &a); // the session's writes are by this caller; under mutex_

    Session &s_;
    std::mutex mutex_;
    std::atomic<bool> stale_{false};
    ReadClearance clearance_;
    SearcherPool searchers_;
    ResponseCache cache_;
    std::map<ReadLevel, std::vector<std::string>>
        hiddenIds_; // under mutex_, as of hiddenIdsVersion_
    std::string hiddenIdsVersion_;
};

} // namespace kb::web
