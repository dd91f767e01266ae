#include "web/webapi.h"

#include "core/frontmatter.h"
#include "core/plugincall.h"
#include "core/pluginhost.h"
#include "core/recordbridge.h"
#include "core/recordedit.h"
#include "core/textcheck.h"
#include "core/validator.h"
#include "indexer/documentbuilder.h"
#include "indexer/indexschema.h"
#include "indexer/memorymatcher.h"
#include "indexer/queryerror.h"
#include "indexer/searcher.h"
#include "services/args.h"
#include "services/hostservices.h"
#include "services/recordcreation.h"
#include "services/searchjson.h"
#include "services/session.h"
#include "web/markdownhtml.h"

#include <kb/recordtype.h>

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <unordered_set>

namespace {
// KB_SERVE_RANK_IN_MEMORY=0 ranks every search through Xapian's matcher, as the CLI does;
// by default a long-lived server ranks from posting lists it keeps decoded in memory
// (bench/RESULTS.md: the two give the same hits, scores and counts).
bool rankInMemory()
{
    static const bool on = [] {
        const char *v = std::getenv("KB_SERVE_RANK_IN_MEMORY");
        return !(v && std::string(v) == "0");
    }();
    return on;
}
} // namespace

namespace kb::web {
namespace {

// Appended to a restricted record's id in an uncleared client's query (see
// withoutHiddenIds); no record id has it.
constexpr const char *kHiddenIdSuffix = "-zz9hidden";

std::string fileName(const std::string &path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QJsonObject label(const std::string &zh, const std::string &en)
{
    return QJsonObject{{"zh", q(zh)}, {"en", q(en.empty() ? zh : en)}};
}

std::string param(const Params &p, const std::string &key, const std::string &fallback = {})
{
    auto it = p.find(key);
    return it == p.end() ? fallback : it->second;
}

// A whole number from a query parameter, within [min, max]; false when malformed.
bool intParam(const Params &p, const std::string &key, int fallback, int min, int max, int *out,
              std::string *error)
{
    const std::string v = param(p, key);
    if (v.empty()) {
        *out = fallback;
        return true;
    }
    long n = 0;
    for (char c : v) {
        if (c < '0' || c > '9' || n > max) {
            *error = key + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max);
            return false;
        }
        n = n * 10 + (c - '0');
    }
    if (n < min || n > max) {
        *error = key + " must be a whole number from " + std::to_string(min) + " to " +
                 std::to_string(max);
        return false;
    }
    *out = int(n);
    return true;
}

bool parseObject(const QByteArray &body, QJsonObject *out, std::string *error);

// The common start of every write: the caller may write and sent a JSON object.
std::optional<ApiResponse> readWrite(const Access &a, const QByteArray &body, QJsonObject *in)
{
    if (!a.write)
        return ApiResponse::error(403, "writing needs a token on this server");
    std::string error;
    if (!parseObject(body, in, &error))
        return ApiResponse::error(400, error);
    return std::nullopt;
}

bool parseObject(const QByteArray &body, QJsonObject *out, std::string *error)
{
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = "the request body is not valid JSON (" + pe.errorString().toStdString() +
                 " at byte " + std::to_string(pe.offset) + ")";
        return false;
    }
    if (!doc.isObject()) {
        *error = "the request body must be a JSON object";
        return false;
    }
    *out = doc.object();
    return true;
}

// What is wrong with the shape of a form value, or "": an object is never a field value,
// and several values fit only a list (`kb new` would silently keep the last one).
std::string shapeProblem(const FieldSpec *spec, const QJsonValue &v)
{
    if (v.isObject())
        return "expects text or a list of values, not an object";
    if (!v.isArray())
        return {};
    for (const auto &item : v.toArray())
        if (item.isObject() || item.isArray())
            return "a list holds plain values, not objects or lists";
    if (spec && spec->type != FieldType::List && v.toArray().size() > 1)
        return "takes one value, not a list";
    return {};
}

// A form value as the strings `kb new --FIELD` would receive.
std::vector<std::string> givenStrings(const QJsonValue &v)
{
    std::vector<std::string> out;
    if (v.isArray()) {
        for (const auto &item : v.toArray())
            if (!item.toVariant().toString().trimmed().isEmpty())
                out.push_back(item.toVariant().toString().trimmed().toStdString());
    } else if (v.isBool()) {
        out.push_back(v.toBool() ? "true" : "false");
    } else if (!v.isNull() && !v.isUndefined()) {
        const QString s = v.toVariant().toString().trimmed();
        if (!s.isEmpty())
            out.push_back(s.toStdString());
    }
    return out;
}

std::string version(const std::string &text)
{
    return QCryptographicHash::hash(QByteArray::fromStdString(text), QCryptographicHash::Sha256)
        .toHex()
        .left(16)
        .toStdString();
}

QJsonObject fieldSpecJson(const FieldSpec &f)
{
    QJsonObject o{{"name", q(f.name)},
                  {"type", q(std::string(fieldTypeName(f.type)))},
                  {"required", f.required},
                  {"label", label(f.labelZh.empty() ? f.name : f.labelZh,
                                  f.labelEn.empty() ? f.name : f.labelEn)}};
    if (f.type == FieldType::List)
        o["of"] = q(std::string(fieldTypeName(f.itemType)));
    if (!f.defaultValue.empty())
        o["default"] = q(f.defaultValue);
    if (!f.values.empty()) {
        QJsonArray values;
        for (const auto &v : f.values)
            values.append(q(v));
        o["values"] = values;
    }
    if (!f.valueLabels.empty()) {
        QJsonObject labels;
        for (const auto &[value, names] : f.valueLabels)
            labels[q(value)] = label(names.first, names.second);
        o["value_labels"] = labels;
    }
    if (!f.vocabulary.empty())
        o["vocabulary"] = q(f.vocabulary);
    if (!f.closed.empty()) {
        QJsonArray closed;
        for (const auto &v : f.closed)
            closed.append(q(v));
        o["closed"] = closed;
    }
    if (!f.help.empty())
        o["help"] = q(f.help);
    if (f.filter)
        o["filter"] = true;
    if (f.facet)
        o["facet"] = true;
    return o;
}

QJsonArray findingsJson(const std::vector<Finding> &findings)
{
    QJsonArray out;
    for (const Finding &f : findings)
        out.append(QJsonObject{{"path", q(f.path)},
                               {"line", f.line},
                               {"field", q(f.field)},
                               {"message", q(f.message)},
                               {"warning", f.warning},
                               {"text", q(f.toString())}});
    return out;
}

// The view `name` of the loaded plugin with id `pluginId` (not a type name), or nullptr.
const ViewSpec *findView(Session &s, const std::string &pluginId, const std::string &name,
                         const PluginInfo **plugin)
{
    *plugin = s.plugins().findPlugin(pluginId);
    if (!*plugin || (*plugin)->id != pluginId)
        return nullptr;
    for (const ViewSpec &v : (*plugin)->schema.views)
        if (v.name == name)
            return &v;
    return nullptr;
}

// A plugin verb run for the web: what it printed is collected, not written to the
// terminal; a plugin that throws comes back as exit code 2 with a message.
struct VerbRun {
    int code = 2;
    std::string out, err;
};

VerbRun runVerb(Session &s, const PluginInfo &plugin, const std::string &verb,
                const QStringList &args, std::function<bool(const Record &)> visible)
{
    VerbRun run;
    HostServices host(s, &run.out, &run.err);
    host.setVisibility(std::move(visible));
    try {
        const PluginCall call(plugin.id, "verb " + verb);
        run.code = plugin.instance->runVerb(q(verb), args, host);
    } catch (const std::exception &e) {
        run.code = 2;
        run.err = "plugin '" + plugin.id + "' failed: " + e.what();
    } catch (...) {
        run.code = 2;
        run.err = "plugin '" + plugin.id + "' failed";
    }
    return run;
}

} // namespace

// A searcher borrowed from the pool for one request; a new one is opened when all are
// busy. Each reopens the index first, so changes committed since show up.
class WebApi::SearcherLease {
public:
    explicit SearcherLease(WebApi &api) : api_(api)
    {
        std::lock_guard lock(api_.poolMutex_);
        if (!api_.idle_.empty()) {
            searcher_ = std::move(api_.idle_.back());
            api_.idle_.pop_back();
        }
    }
    ~SearcherLease()
    {
        if (!searcher_)
            return;
        std::lock_guard lock(api_.poolMutex_);
        api_.idle_.push_back(std::move(searcher_));
    }
    search::Searcher *open(std::string *error)
    {
        if (!searcher_) {
            searcher_ = std::make_unique<search::Searcher>(api_.s_.root(), api_.s_.indexSchema(),
                                                           api_.s_.lexicon());
            if (rankInMemory())
                searcher_->keepPostingsInMemory();
        }
        if (!searcher_->open(error)) {
            searcher_.reset();
            return nullptr;
        }
        return searcher_.get();
    }

private:
    WebApi &api_;
    std::unique_ptr<search::Searcher> searcher_;
};

// Built once here: searches on other threads only read them afterwards.
WebApi::WebApi(Session &session) : s_(session), clearance_(s_.indexSchema())
{
    s_.lexicon();
}

WebApi::~WebApi() = default;

void WebApi::refreshStore()
{
    if (stale_.exchange(false))
        s_.reloadStore();
}

bool WebApi::isRestricted(const Record &r) const
{
    return clearance_.restricts(r);
}

bool WebApi::hidden(const Access &a, const Record &r) const
{
    return !a.restricted && isRestricted(r);
}

bool WebApi::hiddenId(const Access &a, const std::string &id) const
{
    const Record *r = a.restricted ? nullptr : s_.store().byId(id);
    return r && isRestricted(*r);
}

std::function<bool(const Record &)> WebApi::visibility(const Access &a) const
{
    if (a.restricted)
        return nullptr;
    return [this, a](const Record &r) { return !hidden(a, r); };
}

QJsonValue WebApi::visibleValue(const Access &a, const FieldSpec &f, const QJsonValue &v) const
{
    if (a.restricted || !f.isReferenceLike())
        return v;
    if (v.isString())
        return hiddenId(a, v.toString().toStdString()) ? QJsonValue() : v;
    if (!v.isArray())
        return v;
    QJsonArray kept;
    for (const QJsonValue &item : v.toArray())
        if (!hiddenId(a, item.toString().toStdString()))
            kept.append(item);
    return kept;
}

std::string WebApi::withoutHiddenIds(const Access &a, std::string query,
                                     const std::string &indexVersion)
{
    if (a.restricted)
        return query;
    std::lock_guard lock(mutex_);
    // Which records are restricted changes only with the files, so with the index: the
    // list is made once per index version, not on every search.
    if (restrictedIdsVersion_ != indexVersion) {
        refreshStore();
        restrictedIds_.clear();
        for (const Record &r : s_.store().records())
            if (isRestricted(r))
                restrictedIds_.push_back(Store::effectiveId(r));
        restrictedIdsVersion_ = indexVersion;
    }
    for (const std::string &id : restrictedIds_) {
        for (std::size_t at = query.find(id); at != std::string::npos;
             at = query.find(id, at + id.size() + 1))
            query.replace(at, id.size(), id + kHiddenIdSuffix); // an id nothing has
    }
    return query;
}

void WebApi::hideReferences(const Access &a, search::SearchResult &r)
{
    if (a.restricted)
        return;
    std::lock_guard lock(mutex_);
    refreshStore();
    for (search::SearchHit &h : r.hits) {
        const PluginInfo *plugin = s_.plugins().findRecordType(h.type);
        if (!plugin)
            continue;
        for (auto field = h.fields.begin(); field != h.fields.end(); ++field) {
            const FieldSpec *f = plugin->schema.find(field->first);
            if (!f || !f->isReferenceLike())
                continue;
            // Lists come joined with ", " in a hit.
            std::string kept;
            std::size_t start = 0;
            while (start <= field->second.size()) {
                std::size_t end = field->second.find(", ", start);
                if (end == std::string::npos)
                    end = field->second.size();
                const std::string item = field->second.substr(start, end - start);
                if (!item.empty() && !hiddenId(a, item))
                    kept += (kept.empty() ? "" : ", ") + item;
                start = end + 2;
            }
            field->second = kept;
        }
    }
}

std::vector<std::string> WebApi::hiddenTerms(const Access &a) const
{
    if (a.restricted)
        return {};
    return clearance_.hiddenTerms();
}

namespace {
// When this process started: a client (or a test) can tell that kb serve restarted.
const QString kStarted = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
} // namespace

ApiResponse WebApi::info(const Access &a)
{
    // The one switch of the in-memory ranking, and how often it answered (for the
    // equivalence test, which must fail if the fast path silently stopped running).
    QJsonObject out{{"app", "kb"},          {"version", KB_VERSION},
                    {"started", kStarted},  {"today", q(s_.today())},
                    {"can_write", a.write}, {"can_read_restricted", a.restricted}};
    if (a.restricted) { // the server's folders are nobody else's business
        out["root"] = q(s_.root().dir);
        out["rank_in_memory"] = rankInMemory();
        out["ranked_in_memory"] = qint64(search::MemoryMatcher::timesRanked());
    }
    return ApiResponse::json(out);
}

ApiResponse WebApi::schema()
{
    std::lock_guard lock(mutex_);
    QJsonArray types, views;
    for (const PluginInfo &p : s_.plugins().plugins()) {
        if (p.state != PluginState::Loaded)
            continue;
        const TypeSchema &t = p.schema;
        for (const ViewSpec &v : t.views) {
            QJsonArray params;
            for (const ViewParam &vp : v.params)
                params.append(QJsonObject{{"name", q(vp.vocabulary)},
                                          {"vocabulary", q(vp.vocabulary)},
                                          {"label", label(vp.labelZh, vp.labelEn)}});
            views.append(QJsonObject{{"plugin", q(p.id)},
                                     {"name", q(v.name)},
                                     {"kind", q(v.kind)},
                                     {"label", label(v.labelZh.empty() ? v.name : v.labelZh,
                                                     v.labelEn.empty() ? v.name : v.labelEn)},
                                     {"params", params}});
        }
        if (!t.hasRecords)
            continue;
        QJsonArray fields, sections;
        for (const FieldSpec &f : t.fields)
            fields.append(fieldSpecJson(f));
        for (const SectionSpec &sec : t.sections)
            sections.append(label(sec.zh, sec.en));
        types.append(QJsonObject{{"type", q(t.type)},
                                 {"plugin", q(p.id)},
                                 {"label", label(t.labelZh, t.labelEn)},
                                 {"folder", q(t.folder)},
                                 {"fields", fields},
                                 {"sections", sections}});
    }
    QJsonArray common;
    for (const FieldSpec &f : commonFields())
        common.append(fieldSpecJson(f));
    QJsonObject vocabularies;
    for (const std::string &name : s_.vocab().names()) {
        QJsonArray terms;
        for (const Term &t : *s_.vocab().get(name)) {
            QJsonArray aliases;
            for (const auto &al : t.aliases)
                aliases.append(q(al));
            terms.append(QJsonObject{
                {"id", q(t.id)}, {"zh", q(t.zh)}, {"en", q(t.en)}, {"aliases", aliases}});
        }
        vocabularies[q(name)] = terms;
    }
    QJsonObject facets;
    for (const std::string &name : s_.indexSchema().facetNames()) {
        const search::IndexedField *f = s_.indexSchema().field(name);
        if (name == "type")
            facets[q(name)] = label("类型", "Type");
        else if (name == "year")
            facets[q(name)] = label("年份", "Year");
        else if (f)
            facets[q(name)] = label(f->spec.labelZh.empty() ? name : f->spec.labelZh,
                                    f->spec.labelEn.empty() ? name : f->spec.labelEn);
    }
    QJsonArray sorts;
    for (const search::IndexedField &f : s_.indexSchema().fields())
        if (f.slot != search::kNoSlot && f.name != "date")
            sorts.append(
                QJsonObject{{"name", q(f.name)},
                            {"label", label(f.spec.labelZh.empty() ? f.name : f.spec.labelZh,
                                            f.spec.labelEn.empty() ? f.name : f.spec.labelEn)}});
    return ApiResponse::json(QJsonObject{{"types", types},
                                         {"common_fields", common},
                                         {"vocabularies", vocabularies},
                                         {"views", views},
                                         {"facets", facets},
                                         {"sorts", sorts}});
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
    o.excludeTerms = hiddenTerms(a);
    const std::string query = param(p, similar ? "id" : "q");
    if (query.empty())
        return ApiResponse::error(400, similar ? "id is required" : "q is required (the query)");
    if (const std::size_t bad = firstInvalidUtf8(query); bad != std::string::npos)
        return ApiResponse::error(400, "the query is not valid UTF-8 (byte " + std::to_string(bad) +
                                           ")");
    SearcherLease lease(*this);
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
                            (a.restricted ? "r" : "");
    {
        std::lock_guard lock(cacheMutex_);
        if (auto it = cacheIndex_.find(key); it != cacheIndex_.end()) {
            cache_.splice(cache_.begin(), cache_, it->second);
            return {200, it->second->second};
        }
    }
    try {
        // A filter naming a restricted id (origins:ID) must find what a made-up id finds.
        const std::string asked =
            similar ? query : withoutHiddenIds(a, query, searcher->indexVersion());
        search::SearchResult r = similar ? searcher->similar(query, o) : searcher->search(asked, o);
        r.query = query;
        if (asked != query) { // what it says of the query says it of the words asked
            const auto undo = [](std::string &text) {
                for (std::size_t at = text.find(kHiddenIdSuffix); at != std::string::npos;
                     at = text.find(kHiddenIdSuffix, at))
                    text.erase(at, std::string_view(kHiddenIdSuffix).size());
            };
            for (std::string &note : r.notes)
                undo(note);
            undo(r.suggestion);
        }
        hideReferences(a, r);
        // No lock: facet labels read the vocabularies, which this generation loaded in its
        // constructor and never changes (a changed vocabulary makes a new generation).
        const ApiResponse answer{200, QByteArray::fromStdString(searchResultJson(s_, r, o))};
        constexpr std::size_t kCacheEntries = 1000;
        std::lock_guard lock(cacheMutex_);
        if (!cacheIndex_.count(key)) {
            cache_.emplace_front(key, answer.body);
            cacheIndex_[key] = cache_.begin();
            if (cache_.size() > kCacheEntries) {
                cacheIndex_.erase(cache_.back().first);
                cache_.pop_back();
            }
        }
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
    std::vector<const Record *> rows;
    for (const Record &r : s_.store().records())
        if ((type.empty() || r.type() == type) && (a.restricted || !isRestricted(r)))
            rows.push_back(&r);
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
    const Record *r = s_.store().byId(id);
    if (!r)
        return ApiResponse::error(404, "no record with id '" + id + "'");
    if (hidden(a, *r)) // to them it does not exist: 403 would say it does
        return ApiResponse::error(404, "no record with id '" + id + "'");
    const PluginInfo *plugin = s_.plugins().findRecordType(r->type());
    const TypeSchema *schema = plugin ? &plugin->schema : nullptr;
    const Kb::RecordData data = toRecordData(*r, Store::effectiveId(*r), schema);

    // Fields in schema order (common keys first), each with labels for its values.
    QJsonArray fields, links;
    auto describe = [&](const FieldSpec &f) {
        const FieldValue *v = r->field(f.name);
        if (!v || v->isNull())
            return;
        QJsonArray shown;
        for (const std::string &item : v->asList()) {
            QJsonObject o{{"value", q(item)}};
            if (!f.vocabulary.empty())
                if (const Term *t = s_.vocab().lookup(f.vocabulary, item)) {
                    o["label"] = label(t->zh, t->en);
                    o["term"] = q(t->id); // what a form selects for a label or alias
                }
            if (auto named = f.valueLabels.find(item); named != f.valueLabels.end())
                o["label"] = label(named->second.first, named->second.second);
            if (f.name == "type" && schema)
                o["label"] = label(schema->labelZh, schema->labelEn);
            if (f.isReferenceLike()) {
                const Record *target = s_.store().byId(item);
                if (target && hidden(a, *target))
                    continue; // not even its id
                if (target) {
                    o["title"] = q(target->title());
                    o["link"] = q(Store::effectiveId(*target));
                    links.append(QJsonObject{{"id", q(Store::effectiveId(*target))},
                                             {"title", q(target->title())},
                                             {"type", q(target->type())},
                                             {"field", q(f.name)}});
                }
            }
            shown.append(o);
        }
        fields.append(QJsonObject{{"name", q(f.name)},
                                  {"label", label(f.labelZh.empty() ? f.name : f.labelZh,
                                                  f.labelEn.empty() ? f.name : f.labelEn)},
                                  {"type", q(std::string(fieldTypeName(f.type)))},
                                  {"value", visibleValue(a, f, data.fields.value(q(f.name)))},
                                  {"items", shown}});
    };
    for (const FieldSpec &f : commonFields())
        if (f.name != "id" && f.name != "title")
            describe(f);
    if (schema)
        for (const FieldSpec &f : schema->fields)
            describe(f);

    // Backlinks: records whose reference fields name this one.
    QJsonArray backlinks;
    const std::string myId = Store::effectiveId(*r);
    for (const Record &other : s_.store().records()) {
        if (&other == r || hidden(a, other))
            continue;
        const PluginInfo *op = s_.plugins().findRecordType(other.type());
        if (!op)
            continue;
        for (const FieldSpec &f : op->schema.fields) {
            const FieldValue *v = f.isReferenceLike() ? other.field(f.name) : nullptr;
            if (!v)
                continue;
            const auto items = v->asList();
            if (std::find(items.begin(), items.end(), myId) != items.end()) {
                backlinks.append(QJsonObject{{"id", q(Store::effectiveId(other))},
                                             {"title", q(other.title())},
                                             {"type", q(other.type())},
                                             {"field", q(f.name)}});
                break;
            }
        }
    }
    QJsonObject values = data.fields;
    if (schema)
        for (const FieldSpec &f : schema->fields)
            if (values.contains(q(f.name)))
                values[q(f.name)] = visibleValue(a, f, values.value(q(f.name)));
    QJsonObject out{{"id", q(myId)},
                    {"path", q(r->path)},
                    {"type", q(r->type())},
                    {"title", q(r->title())},
                    {"date", q(r->value("date"))},
                    {"version", q(version(r->text))},
                    {"fields", fields},
                    {"values", values},
                    {"body", q(r->body)},
                    {"body_html", q(markdownToSafeHtml(r->body))},
                    {"links", links},
                    {"backlinks", backlinks},
                    {"findings", findingsJson(s_.checkRecord(*r))},
                    {"editable", !r->plainNote && r->span.present}};
    if (schema)
        out["type_label"] = label(schema->labelZh, schema->labelEn);
    return ApiResponse::json(out);
}

ApiResponse WebApi::createRecord(const QByteArray &body, const Access &a)
{
    QJsonObject in;
    if (auto refused = readWrite(a, body, &in))
        return *refused;
    std::lock_guard lock(mutex_);
    refreshStore();
    const std::string type = in.value("type").toString().toStdString();
    const PluginInfo *plugin = s_.plugins().findRecordType(type);
    if (!plugin || type.empty())
        return ApiResponse::error(400, "unknown record type '" + type + "'",
                                  QJsonObject{{"fields", QJsonObject{{"type", "unknown type"}}}});
    NewRecordRequest request;
    request.requireAll = true;
    request.title = in.value("title").toString().trimmed().toStdString();
    request.date = in.value("date").toString().trimmed().toStdString();
    const QJsonObject fields = in.value("fields").toObject();
    QJsonObject malformed;
    static const QStringList known = {"type", "title", "date", "fields", "sections"};
    for (const QString &key : in.keys())
        if (!known.contains(key))
            malformed[key] = "is not part of a new record (type, title, date, fields, sections)";
    for (const char *key : {"title", "date"})
        if (in.contains(key) && !in.value(key).isString())
            malformed[key] = "must be text";
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (const std::string bad =
                shapeProblem(plugin->schema.find(it.key().toStdString()), it.value());
            !bad.empty())
            malformed[it.key()] = q(bad);
        request.values.emplace_back(it.key().toStdString(), givenStrings(it.value()));
    }
    if (!malformed.isEmpty())
        return ApiResponse::error(422, "some fields need attention",
                                  QJsonObject{{"fields", malformed}});
    for (const auto &sec : in.value("sections").toArray())
        request.sections.push_back(sec.toString().toStdString());
    NewRecordResult created;
    if (!kb::createRecord(s_, plugin->schema, request, &created)) {
        if (created.problems.empty())
            return ApiResponse::error(500, created.error);
        QJsonObject byField;
        for (const FieldProblem &p : created.problems)
            byField[q(p.field)] = q(p.message);
        return ApiResponse::error(422,
                                  created.refusedByRules
                                      ? "a rule of this record type refuses it: " +
                                            created.problems.front().message
                                      : "some fields need attention",
                                  QJsonObject{{"fields", byField}});
    }
    std::vector<Finding> notes;
    if (const Record *r = s_.store().byId(created.id))
        notes = s_.checkRecord(*r);
    return ApiResponse::json(QJsonObject{{"id", q(created.id)},
                                         {"path", q(created.path)},
                                         {"findings", findingsJson(notes)}},
                             201);
}

ApiResponse WebApi::updateRecord(const std::string &id, const QByteArray &body, const Access &a)
{
    QJsonObject in;
    if (auto refused = readWrite(a, body, &in))
        return *refused;
    std::string error;
    std::lock_guard lock(mutex_);
    refreshStore();
    const Record *known = s_.store().byId(id);
    if (!known || hidden(a, *known))
        return ApiResponse::error(404, "no record with id '" + id + "'");
    // The version is compared with the file as it is now, read afresh (not the whole store).
    ParseResult fresh = loadRecordFile(s_.root(), known->path);
    if (!fresh.record)
        return ApiResponse::error(409, fresh.findings.empty() ? known->path + " cannot be read"
                                                              : fresh.findings.front().toString());
    const Record *r = &*fresh.record;
    if (hidden(a, *r))
        return ApiResponse::error(404, "no record with id '" + id + "'");
    if (!r->span.present)
        return ApiResponse::error(409, r->path +
                                           " has no front matter to edit; fix it in a text editor");
    const std::string base = in.value("version").toString().toStdString();
    if (base != version(r->text))
        return ApiResponse::error(409,
                                  "the record changed since you opened it (someone else saved "
                                  "it); reload to see their version, then apply your change again",
                                  QJsonObject{{"version", q(version(r->text))}});
    const PluginInfo *plugin = s_.plugins().findRecordType(r->type());
    std::vector<std::pair<std::string, std::string>> sets;
    QJsonObject problems;
    const QJsonObject fields = in.value("fields").toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const std::string key = it.key().toStdString();
        if (key == "id" || key == "type") {
            problems[it.key()] = "cannot change";
            continue;
        }
        const FieldSpec *spec = plugin ? plugin->schema.find(key) : nullptr;
        if (!spec) {
            problems[it.key()] = "no such field";
            continue;
        }
        if (const std::string bad = shapeProblem(spec, it.value()); !bad.empty()) {
            problems[it.key()] = q(bad);
            continue;
        }
        const FieldValue v = givenFieldValue(*spec, givenStrings(it.value()));
        // A list emptied in the form is written as [], a cleared scalar as nothing.
        const std::string yaml =
            spec->type == FieldType::List && v.isNull() ? "[]" : yamlOf(*spec, v);
        if (spec->required && v.isNull()) {
            problems[it.key()] = "is required";
            continue;
        }
        if (sameFieldValue(*spec, v, r->field(key), s_.vocab()))
            continue; // unchanged: its bytes stay as the user wrote them
        if (!v.isNull())
            if (std::string err = checkFieldValue(*spec, v, s_.vocab()); !err.empty()) {
                problems[it.key()] = q(err);
                continue;
            }
        sets.emplace_back(key, yaml);
    }
    if (!problems.isEmpty())
        return ApiResponse::error(422, "some fields need attention",
                                  QJsonObject{{"fields", problems}});
    if (in.contains("body") && !in.value("body").isString())
        return ApiResponse::error(422,
                                  "body must be a string (the Markdown after the front "
                                  "matter); leave it out to keep the body",
                                  QJsonObject{{"fields", QJsonObject{{"body", "must be text"}}}});
    std::string text = r->text;
    if (in.contains("body")) {
        std::string newBody = in.value("body").toString().toStdString();
        // A browser's textarea gives LF for the file's CRLF: that alone is no change.
        std::string bodyAsLf = r->body;
        bodyAsLf.erase(std::remove(bodyAsLf.begin(), bodyAsLf.end(), '\r'), bodyAsLf.end());
        if (newBody != r->body && !(r->span.crlf && newBody == bodyAsLf)) {
            // Keep the file's line endings: a CRLF file gets CRLF in its new body too.
            if (r->span.crlf) {
                std::string crlf;
                for (char c : newBody) {
                    if (c == '\n' && (crlf.empty() || crlf.back() != '\r'))
                        crlf += '\r';
                    crlf += c;
                }
                newBody = std::move(crlf);
            }
            text = text.substr(0, r->span.closeEnd) + newBody;
        }
    }
    if (!sets.empty() || text != r->text)
        sets.emplace_back("updated", s_.today());
    std::string newText = text;
    if (!sets.empty() && !editRecordText(text, sets, "", &newText, &error))
        return ApiResponse::error(422, r->path + ": " + error);
    if (newText == r->text)
        return ApiResponse::json(QJsonObject{{"id", q(id)},
                                             {"path", q(r->path)},
                                             {"version", q(version(r->text))},
                                             {"changed", false}});
    const std::string path = r->path, old = r->text;
    std::vector<Finding> refusedBy;
    if (!s_.writeRecord(path, newText, false, &old, &error, &refusedBy)) {
        if (refusedBy.empty())
            return ApiResponse::error(409, error);
        QJsonObject byField;
        for (const Finding &f : refusedBy)
            byField[q(f.field)] = q(f.message);
        return ApiResponse::error(
            422, "a rule of this record type refuses the change: " + refusedBy.front().message,
            QJsonObject{{"fields", byField}});
    }
    stale_ = true; // the store catches up on its next use
    std::vector<Finding> notes;
    if (const ParseResult after = parseRecord(path, newText); after.record)
        notes = s_.checkRecord(*after.record);
    return ApiResponse::json(QJsonObject{{"id", q(id)},
                                         {"path", q(path)},
                                         {"version", q(version(newText))},
                                         {"changed", true},
                                         {"findings", findingsJson(notes)}});
}

ApiResponse WebApi::view(const std::string &pluginId, const std::string &name, const Params &p,
                         const Access &a)
{
    std::lock_guard lock(mutex_);
    refreshStore();
    const PluginInfo *plugin = nullptr;
    const ViewSpec *spec = findView(s_, pluginId, name, &plugin);
    if (!spec)
        return ApiResponse::error(404, "no view '" + pluginId + "/" + name + "'");
    QStringList args;
    for (const std::string &arg : spec->args)
        args << q(arg);
    bool anyParam = false;
    for (const ViewParam &vp : spec->params) {
        const std::string value = param(p, vp.vocabulary);
        if (value.empty())
            continue;
        if (!s_.vocab().lookup(vp.vocabulary, value))
            return ApiResponse::error(400, vp.vocabulary + ": no term '" + value + "'");
        if (!vp.flag.empty())
            args << q(vp.flag);
        args << q(value);
        anyParam = true;
    }
    if (!spec->params.empty() && !anyParam)
        return ApiResponse::json(QJsonObject{{"kind", q(spec->kind)}, {"needs_params", true}});
    if (spec->kind == "board")
        if (const std::string owner = param(p, "owner"); !owner.empty())
            args << "--owner" << q(owner);
    if (a.restricted && !spec->restrictedFlag.empty())
        args << q(spec->restrictedFlag);
    const VerbRun run = runVerb(s_, *plugin, spec->verb, args, visibility(a));
    // Exit code 2 is a verb's usage error: the parameters asked for, not the server.
    if (run.code == 2 && !run.err.empty())
        return ApiResponse::error(400, run.err.substr(0, run.err.find_last_not_of('\n') + 1));
    if (run.code > 1)
        return ApiResponse::error(500, run.err.empty() ? "the view failed" : run.err);
    const std::string &out = run.out;
    QJsonObject result{{"kind", q(spec->kind)}};
    if (spec->kind == "markdown") {
        result["html"] = q(markdownToSafeHtml(out));
        result["markdown"] = q(out);
        return ApiResponse::json(result);
    }
    QJsonParseError pe{};
    QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(out), &pe);
    if (pe.error != QJsonParseError::NoError)
        return ApiResponse::error(500, "plugin '" + pluginId + "' printed no JSON for its view");
    result["data"] = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    return ApiResponse::json(result);
}

ApiResponse WebApi::moveCard(const std::string &pluginId, const std::string &name,
                             const QByteArray &body, const Access &a)
{
    QJsonObject in;
    if (auto refused = readWrite(a, body, &in))
        return *refused;
    // No reload first: the plugin's write checks the file against what it read, so an
    // edit made meanwhile is refused rather than overwritten.
    std::lock_guard lock(mutex_);
    refreshStore();
    const PluginInfo *plugin = nullptr;
    const ViewSpec *spec = findView(s_, pluginId, name, &plugin);
    if (!spec || spec->kind != "board")
        return ApiResponse::error(404, "no board '" + pluginId + "/" + name + "'");
    const QString id = in.value("id").toString(), to = in.value("to").toString();
    const QString note = in.value("note").toString().simplified();
    if (id.isEmpty() || to.isEmpty())
        return ApiResponse::error(400, "id and to are required");
    if (const Record *r = s_.store().byId(id.toStdString()); r && hidden(a, *r))
        return ApiResponse::error(404, "no record with id '" + id.toStdString() + "'");
    QStringList args{id, to};
    if (!note.isEmpty())
        args << "--note" << note;
    const VerbRun run = runVerb(s_, *plugin, spec->move, args, visibility(a));
    auto oneLine = [](std::string s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
            s.pop_back();
        return s;
    };
    if (run.code != 0)
        return ApiResponse::error(run.code == 1 ? 422 : 400,
                                  oneLine(run.err.empty() ? run.out : run.err));
    return ApiResponse::json(QJsonObject{{"message", q(oneLine(run.out))}});
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
                               {"path", q(a.restricted ? p.path : fileName(p.path))}});
    }
    return ApiResponse::json(QJsonObject{{"plugins", out}});
}

ApiResponse WebApi::check(const Access &a)
{
    std::lock_guard lock(mutex_);
    refreshStore();
    std::vector<Finding> findings = s_.checkAll();
    if (!a.restricted) {
        std::unordered_set<std::string> hiddenPaths;
        for (const Record &r : s_.store().records())
            if (hidden(a, r))
                hiddenPaths.insert(r.path);
        std::erase_if(findings, [&](const Finding &f) { return hiddenPaths.count(f.path) > 0; });
    }
    return ApiResponse::json(QJsonObject{{"findings", findingsJson(findings)}});
}

} // namespace kb::web
