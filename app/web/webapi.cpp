#include "web/webapi.h"

#include "core/pluginhost.h"
#include "core/store.h"
#include "core/textcheck.h"
#include "indexer/memorymatcher.h"
#include "indexer/queryerror.h"
#include "indexer/searcher.h"
#include "services/args.h"
#include "services/qtstring.h"
#include "services/readerscope.h"
#include "services/recordhistory.h"
#include "services/searchjson.h"
#include "services/session.h"
#include "web/chinesemessages.h"
#include "web/feeds.h"
#include "web/pluginviews.h"
#include "web/recordforms.h"
#include "web/recordpage.h"
#include "web/schemajson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <optional>

namespace kb::web {
namespace {

std::string fileName(const std::string &path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The common start of every write: the caller may make this kind of write (`allowed`, one
// of their rights; `what` says it in words) and sent a JSON object.
std::optional<ApiResponse> readWrite(const Access &a, bool allowed, const char *what,
                                     const QByteArray &body, QJsonObject *in)
{
    if (!allowed)
        return ApiResponse::error(
            403, (a.user.empty() ? std::string("you may not ") : "'" + a.user + "' may not ") +
                     what + " on this server (serve: groups in kb.yaml gives that right)");
    std::string error;
    if (!parseObject(body, in, &error))
        return ApiResponse::error(400, error);
    return std::nullopt;
}

} // namespace

// Built once here: searches on other threads only read them afterwards.
WebApi::WebApi(Session &session)
    : s_(session), clearance_(s_.indexSchema()), searchers_(session), cache_(1000)
{
    s_.lexicon();
    actAs(Access{});
}

void WebApi::actAs(const Access &a)
{
    // A visitor the proxy did not name (loopback, the shared token) is "web", never the
    // person who started the server.
    const std::string who = a.user.empty() ? std::string("web") : a.user;
    s_.setActor(Actor{who, who + "@kb-serve"});
}

WebApi::~WebApi() = default;

void WebApi::refreshStore()
{
    if (stale_.exchange(false))
        s_.reloadStore();
}

ReaderScope WebApi::scope(const Access &a)
{
    return ReaderScope(s_, clearance_, a.rights.read);
}

std::vector<std::string> WebApi::hiddenIds(const std::string &indexVersion, ReadLevel level)
{
    std::lock_guard lock(mutex_);
    // Which records a reader may not see changes only with the files, so with the index:
    // each list is made once per index version, not on every search.
    if (hiddenIdsVersion_ != indexVersion) {
        refreshStore();
        hiddenIds_.clear();
        hiddenIdsVersion_ = indexVersion;
    }
    const auto [it, made] = hiddenIds_.try_emplace(level);
    if (made)
        it->second = ReaderScope(s_, clearance_, level).hiddenIds();
    return it->second;
}

namespace {
// When this process started: a client (or a test) can tell that kb serve restarted.
const QString kStarted = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
} // namespace

void WebApi::whileNoWrites(const std::function<void()> &job)
{
    std::lock_guard lock(mutex_);
    job();
}

ApiResponse WebApi::info(const Access &a, const QJsonObject &sync)
{
    // The one switch of the in-memory ranking, and how often it answered (for the
    // equivalence test, which must fail if the fast path silently stopped running).
    QJsonObject out{{"app", "kb"},
                    {"version", KB_VERSION},
                    {"started", kStarted},
                    {"today", q(s_.today())},
                    {"can_write", a.rights.writesAny()},
                    {"can_read_restricted", a.cleared()}};
    QJsonArray rights;
    for (const std::string &r : a.rights.granted())
        rights.append(q(r));
    out["rights"] = rights;
    out["sign_in"] = a.signInOffered;
    if (!sync.isEmpty())
        out["sync"] = sync; // how the last pull from the shared repository went
    if (!a.user.empty())
        out["user"] = q(a.user); // signed in at the proxy
    if (a.cleared()) {           // the server's folders are nobody else's business
        out["root"] = q(s_.root().dir);
        out["rank_in_memory"] = SearcherPool::ranksInMemory();
        out["ranked_in_memory"] = qint64(search::MemoryMatcher::timesRanked());
    }
    return ApiResponse::json(out);
}

ApiResponse WebApi::schema()
{
    std::lock_guard lock(mutex_);
    return ApiResponse::json(schemaJson(s_));
}

ApiResponse WebApi::runSearch(const Params &p, const Access &a, bool similar)
{
    search::SearchOptions o;
    std::string error;
    if (!intParam(p, "limit", 10, 0, 100, &o.limit, &error) ||
        !intParam(p, "offset", 0, 0, 100000, &o.offset, &error))
        return ApiResponse::error(400, error);
    o.sort = param(p, "sort", "relevance");
    o.facets = param(p, "facets", "1") != "0";
    o.exactCounts = param(p, "exact", "0") == "1";
    const std::string query = param(p, similar ? "id" : "q");
    if (query.empty())
        return ApiResponse::error(400, similar ? "id is required" : "q is required (the query)");
    if (const std::size_t bad = firstInvalidUtf8(query); bad != std::string::npos)
        return ApiResponse::error(400, "the query is not valid UTF-8 (byte " + std::to_string(bad) +
                                           ")");
    scope(a).limit(o);
    SearcherPool::Lease lease(searchers_);
    search::Searcher *searcher = lease.open(&error);
    if (!searcher)
        return ApiResponse::error(503, error);
    if (o.sort != "relevance" && o.sort != "date" && o.sort != "oldest") {
        const auto names = searcher->sortNames();
        const std::string bare = o.sort[0] == '-' ? o.sort.substr(1) : o.sort;
        if (std::find(names.begin(), names.end(), bare) == names.end())
            return ApiResponse::error(400, "sort must be relevance, date, oldest, FIELD or -FIELD");
    }
    const std::string key = searcher->indexVersion() + '\n' + (similar ? "s" : "q") + query + '\n' +
                            std::to_string(o.limit) + ',' + std::to_string(o.offset) + ',' +
                            o.sort + ',' + (o.facets ? "f" : "") + (o.exactCounts ? "x" : "") +
                            char('0' + int(a.rights.read));
    if (std::optional<QByteArray> cached = cache_.find(key))
        return {200, *cached};
    try {
        // A filter naming a restricted id (origins:ID) must find what a made-up id finds.
        const std::string asked =
            similar || a.cleared() ? query
                                   : ReaderScope::disguiseIds(
                                         query, hiddenIds(searcher->indexVersion(), a.rights.read));
        search::SearchResult r = similar ? searcher->similar(query, o) : searcher->search(asked, o);
        r.query = query;
        if (asked != query) { // what it says of the query says it of the words asked
            for (std::string &note : r.notes)
                ReaderScope::undisguise(note);
            ReaderScope::undisguise(r.suggestion);
        }
        {
            std::lock_guard lock(mutex_);
            refreshStore();
            scope(a).hideReferences(r);
        }
        // No lock: facet labels read the vocabularies, which this generation loaded in its
        // constructor and never changes (a changed vocabulary makes a new generation).
        ApiResponse answer{200, QByteArray::fromStdString(searchResultJson(s_, r, o))};
        if (!r.notes.empty()) { // rare: a filter that cannot match; said in Chinese too
            QJsonObject doc = QJsonDocument::fromJson(answer.body).object();
            QJsonArray zh;
            for (const std::string &note : r.notes)
                zh.append(q(chineseFor(note)));
            doc["notes_zh"] = zh;
            answer.body = QJsonDocument(doc).toJson(QJsonDocument::Compact);
        }
        cache_.put(key, answer.body);
        return answer;
    } catch (const search::QueryError &e) {
        return ApiResponse::error(similar ? 404 : 400, e.what(),
                                  QJsonObject{{"hint", q(e.suggestion)}});
    }
}

ApiResponse WebApi::search(const Params &p, const Access &a)
{
    return runSearch(p, a, false);
}

ApiResponse WebApi::similar(const Params &p, const Access &a)
{
    return runSearch(p, a, true);
}

ApiResponse WebApi::listRecords(const Params &p, const Access &a)
{
    int limit = 0, offset = 0;
    std::string error;
    if (!intParam(p, "limit", 100, 1, 1000, &limit, &error) ||
        !intParam(p, "offset", 0, 0, 10000000, &offset, &error))
        return ApiResponse::error(400, error);
    const std::string type = param(p, "type");
    std::lock_guard lock(mutex_);
    refreshStore();
    std::vector<const Record *> rows = scope(a).records(type);
    std::stable_sort(rows.begin(), rows.end(), [](const Record *x, const Record *y) {
        return x->value("date") > y->value("date");
    });
    QJsonArray out;
    for (std::size_t i = std::size_t(offset); i < rows.size() && out.size() < limit; ++i)
        out.append(QJsonObject{{"id", q(Store::effectiveId(*rows[i]))},
                               {"type", q(rows[i]->type())},
                               {"title", q(rows[i]->title())},
                               {"date", q(rows[i]->value("date"))},
                               {"path", q(rows[i]->path)}});
    return ApiResponse::json(QJsonObject{{"total", qint64(rows.size())}, {"records", out}});
}

ApiResponse WebApi::record(const std::string &id, const Access &a)
{
    std::lock_guard lock(mutex_);
    refreshStore();
    const ReaderScope reader = scope(a);
    // To an uncleared reader a restricted record does not exist: 403 would say it does.
    const Record *r = reader.byId(id);
    if (!r)
        return ApiResponse::error(404, "no record with id '" + id + "'");
    // The page shows the file as it is now, even before the watcher has seen a change
    // (a stale save compares against it: its "theirs" must be what is on disk).
    if (const ParseResult fresh = loadRecordFile(s_.root(), r->path);
        fresh.record && fresh.record->text != r->text) {
        s_.reloadStore();
        r = reader.byId(id);
        if (!r)
            return ApiResponse::error(404, "no record with id '" + id + "'");
    }
    return ApiResponse::json(recordPageJson(s_, reader, *r));
}

ApiResponse WebApi::createRecord(const QByteArray &body, const Access &a)
{
    QJsonObject in;
    if (auto refused = readWrite(a, a.rights.file, "file records", body, &in))
        return *refused;
    // A record its author could not read would vanish from their sight the moment it is
    // filed: someone cleared for it files it.
    if (!a.cleared()) {
        const QJsonObject fields = in.value("fields").toObject();
        for (auto it = fields.begin(); it != fields.end(); ++it)
            for (const std::string &v : givenStrings(it.value()))
                for (const std::string &item : splitCommaList(v))
                    if (clearance_.restrictingValue(it.key().toStdString(), item))
                        return ApiResponse::error(
                            403,
                            "you may not file a record you could not read ('" +
                                it.key().toStdString() + ": " + item +
                                "' needs read-restricted in serve: groups)",
                            QJsonObject{
                                {"fields", QJsonObject{{it.key(), "you could not read this record "
                                                                  "yourself once filed"}}}});
    }
    std::lock_guard lock(mutex_);
    refreshStore();
    actAs(a);
    return createFromForm(s_, in);
}

ApiResponse WebApi::updateRecord(const std::string &id, const QByteArray &body, const Access &a)
{
    QJsonObject in;
    if (auto refused = readWrite(a, a.rights.edit, "edit records", body, &in))
        return *refused;
    std::lock_guard lock(mutex_);
    refreshStore();
    bool wrote = false;
    actAs(a);
    ApiResponse answer = updateFromForm(s_, scope(a), id, in, &wrote);
    if (wrote)
        stale_ = true; // the store catches up on its next use
    return answer;
}

ApiResponse WebApi::history(const std::string &id, const Access &a)
{
    std::lock_guard lock(mutex_);
    refreshStore();
    const Record *r = scope(a).byId(id);
    if (!r)
        return ApiResponse::error(404, "no record with id '" + id + "'");
    std::vector<RecordVersion> versions;
    std::string error;
    if (!recordVersions(s_, *r, 200, &versions, &error))
        return ApiResponse::json(QJsonObject{
            {"id", q(id)}, {"available", false}, {"reason", q(error)}, {"versions", QJsonArray()}});
    return ApiResponse::json(QJsonObject{{"id", q(id)},
                                         {"available", true},
                                         {"commits", s_.root().gitHistory},
                                         {"versions", recordVersionsJson(versions)}});
}

ApiResponse WebApi::restore(const std::string &id, const QByteArray &body, const Access &a)
{
    QJsonObject in;
    if (auto refused = readWrite(a, a.rights.edit, "restore versions", body, &in))
        return *refused;
    std::lock_guard lock(mutex_);
    refreshStore();
    const Record *r = scope(a).byId(id);
    if (!r)
        return ApiResponse::error(404, "no record with id '" + id + "'");
    actAs(a);
    std::string said;
    const int code =
        restoreRecordVersion(s_, *r, in.value("version").toString().toStdString(), &said);
    if (code != 0)
        return ApiResponse::error(code == 2 ? 400 : 422, said);
    stale_ = true;
    return ApiResponse::json(QJsonObject{{"message", q(said)}});
}

ApiResponse WebApi::view(const std::string &pluginId, const std::string &name, const Params &p,
                         const Access &a)
{
    std::lock_guard lock(mutex_);
    refreshStore();
    return runView(s_, scope(a), pluginId, name, p);
}

ApiResponse WebApi::moveCard(const std::string &pluginId, const std::string &name,
                             const QByteArray &body, const Access &a)
{
    QJsonObject in;
    if (auto refused = readWrite(a, a.rights.move, "move cards", body, &in))
        return *refused;
    // No reload first: the plugin's write checks the file against what it read, so an
    // edit made meanwhile is refused rather than overwritten.
    std::lock_guard lock(mutex_);
    refreshStore();
    actAs(a);
    return moveBoardCard(s_, scope(a), pluginId, name, in);
}

namespace {

// Feeds are read by programs that show a status code at best: a clear 401 for them.
ApiResponse feedRefused()
{
    return ApiResponse::error(401, "this feed needs a reader: add ?token=TOKEN with a personal "
                                   "token (kb token add NAME) to the feed's address");
}

} // namespace

ApiResponse WebApi::atom(const Params &p, const Access &a, const std::string &baseUrl)
{
    if (a.rights.read == ReadLevel::None)
        return feedRefused();
    int limit = 50;
    std::string error;
    if (!intParam(p, "limit", 50, 1, 500, &limit, &error))
        return ApiResponse::error(400, error);
    std::lock_guard lock(mutex_);
    refreshStore();
    const ReaderScope reader = scope(a);
    std::vector<const Record *> records;
    std::vector<std::string> types;
    for (auto [it, end] = p.equal_range("type"); it != end; ++it)
        types.push_back(it->second);
    if (types.empty())
        records = reader.records("");
    for (const std::string &t : types) {
        if (!s_.plugins().findRecordType(t))
            return ApiResponse::error(400, "no record type '" + t + "'");
        for (const Record *r : reader.records(t))
            records.push_back(r);
    }
    std::sort(records.begin(), records.end(), [](const Record *x, const Record *y) {
        const std::string dx = x->value("date"), dy = y->value("date");
        return dx != dy ? dx > dy : x->id() < y->id();
    });
    if (records.size() > std::size_t(limit))
        records.resize(std::size_t(limit));
    std::vector<FeedEntry> entries;
    for (const Record *r : records) {
        const PluginInfo *plugin = s_.plugins().findRecordType(r->type());
        entries.push_back({r->id(), r->type(), plugin ? plugin->schema.labelZh : std::string(),
                           r->title(), r->value("date"), r->value("updated_by"),
                           firstParagraph(r->body)});
    }
    std::string self = "/feeds/records.atom";
    for (std::size_t i = 0; i < types.size(); ++i)
        self += (i ? "&type=" : "?type=") + types[i];
    ApiResponse out;
    out.body = QByteArray::fromStdString(atomFeed("kb", baseUrl, self, entries));
    out.contentType = "application/atom+xml; charset=utf-8";
    return out;
}

ApiResponse WebApi::calendar(const std::string &pluginId, const std::string &name, const Params &p,
                             const Access &a, const std::string &baseUrl)
{
    if (a.rights.read == ReadLevel::None)
        return feedRefused();
    std::lock_guard lock(mutex_);
    refreshStore();
    const ApiResponse view = runView(s_, scope(a), pluginId, name, p);
    if (view.status != 200)
        return view;
    const QJsonObject answer = QJsonDocument::fromJson(view.body).object();
    const QJsonObject board = answer.value("data").toObject();
    if (answer.value("kind").toString() != "board")
        return ApiResponse::error(404, "'" + pluginId + "/" + name +
                                           "' is no board: only a board's due dates make a "
                                           "calendar");
    // Cards in a finished column (the view's "Done") are not in the calendar.
    std::vector<std::string> closed;
    std::string label = name;
    if (const PluginInfo *plugin = s_.plugins().findPlugin(pluginId))
        for (const ViewSpec &v : plugin->schema.views)
            if (v.name == name) {
                closed = v.done;
                if (!v.labelZh.empty())
                    label = v.labelZh;
            }
    if (const std::string owner = param(p, "owner"); !owner.empty())
        label += " · " + owner;
    ApiResponse out;
    out.body = QByteArray::fromStdString(boardCalendar(board, closed, "kb · " + label, baseUrl));
    out.contentType = "text/calendar; charset=utf-8";
    return out;
}

ApiResponse WebApi::plugins(const Access &a)
{
    std::lock_guard lock(mutex_);
    QJsonArray out;
    for (const PluginInfo &p : s_.plugins().plugins()) {
        QJsonArray problems;
        for (const std::string &problem : p.problems)
            problems.append(q(problem));
        out.append(QJsonObject{{"id", q(p.id)},
                               {"name", q(p.name)},
                               {"version", q(p.version)},
                               {"state", q(std::string(pluginStateName(p.state)))},
                               {"type", q(p.schema.hasRecords ? p.schema.type : "")},
                               {"error", q(p.error)},
                               {"problems", problems},
                               // Code cannot be swapped in a running process: restart.
                               {"changed_on_disk", p.changedOnDisk},
                               {"path", q(a.cleared() ? p.path : fileName(p.path))}});
    }
    return ApiResponse::json(QJsonObject{{"plugins", out}});
}

ApiResponse WebApi::check(const Access &a)
{
    std::lock_guard lock(mutex_);
    refreshStore();
    return ApiResponse::json(
        QJsonObject{{"findings", findingsJson(scope(a).findings(s_.checkAll()))}});
}

} // namespace kb::web
