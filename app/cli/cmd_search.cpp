#include "cli/commands.h"
#include "core/pluginhost.h"
#include "indexer/indexlocation.h"
#include "indexer/indexschema.h"
#include "indexer/indexsync.h"
#include "indexer/queryerror.h"
#include "indexer/searcher.h"
#include "indexer/snippet.h"
#include "services/args.h"
#include "services/output.h"
#include "services/searchjson.h"
#include "services/session.h"

#include "core/displaytext.h"

#include <QJsonDocument>

#include <cstdio>
#include <cstdlib>

namespace kb {

namespace {

std::string colourise(std::string text, bool tty)
{
    if (!tty)
        return text;
    const std::string open = search::kMarkOpen, close = search::kMarkClose;
    for (std::size_t p; (p = text.find(open)) != std::string::npos;)
        text.replace(p, open.size(), "\x1b[1;31m");
    for (std::size_t p; (p = text.find(close)) != std::string::npos;)
        text.replace(p, close.size(), "\x1b[0m");
    return text;
}

void printHuman(Session &s, const search::SearchResult &r, const search::SearchOptions &o,
                bool showFacets)
{
    const bool tty = s.stdoutIsTty && !std::getenv("NO_COLOR");
    std::string out;
    for (const std::string &n : r.notes)
        out += "note: " + displayLine(n) + "\n";
    const std::string didYouMean =
        r.suggestion.empty() ? "" : "Did you mean: " + displayLine(r.suggestion) + " ?\n";
    if (r.total == 0) {
        printOut(out + "No records match.\n" + didYouMean);
        return;
    }
    out += didYouMean;
    const std::string about = r.totalEstimated ? "about " : "";
    if (r.relaxed)
        out += about + std::to_string(r.exactTotal) + " matching every word, " +
               std::to_string(r.total - r.exactTotal) + " more matching some of them";
    else
        out += about + std::to_string(r.total) + (r.total == 1 ? " record" : " records");
    if (o.offset > 0 || long(o.offset) + long(r.hits.size()) < r.total)
        out += ", showing " + std::to_string(o.offset + 1) + "-" +
               std::to_string(o.offset + int(r.hits.size()));
    out += "\n";
    // Which glossary entries the words were read as, so a surprising hit explains itself.
    if (!r.synonyms.empty()) {
        out += "synonyms:";
        for (const std::vector<std::string> &forms : r.synonyms) {
            out += r.synonyms.front() == forms ? " " : "; ";
            for (std::size_t i = 0; i < forms.size() && i < 6; ++i)
                out += (i ? " = " : "") + displayLine(forms[i]);
        }
        out += "\n";
    }
    out += "\n";
    for (const search::SearchHit &h : r.hits) {
        char rank[16];
        std::snprintf(rank, sizeof rank, "%3d. ", h.rank);
        const std::string title = displayLine(h.title);
        out += rank + (tty ? "\x1b[1m" + title + "\x1b[0m" : title) + "\n";
        out += "     " + displayLine(h.type) + (h.date.empty() ? "" : " · " + displayLine(h.date)) +
               " · " + displayLine(h.id) + " · " + displayLine(h.path) + "\n";
        if (!h.snippet.empty())
            out += "     " + colourise(displayLine(h.snippet), tty) + "\n";
        out += "\n";
    }
    if (showFacets)
        for (const auto &[name, values] : r.facets) {
            out += name + ":";
            for (std::size_t i = 0; i < values.size() && i < 12; ++i)
                out += " " + displayLine(values[i].value) + " (" + std::to_string(values[i].count) +
                       ")";
            out += "\n";
        }
    printOut(out);
}

// Opens the index, building it first when there is none, or rebuilding it when the
// plugins or vocabularies changed since (never answer from a stale mapping).
bool openSearcher(Session &s, search::Searcher &searcher, std::string *error)
{
    std::string why;
    const bool exists = !search::IndexLocation(s.root().dir).current().empty();
    if (exists && searcher.open(&why) && searcher.indexSignature() == s.indexSchema().signature()) {
        // A small root is checked first (a scan of its files costs milliseconds) and synced
        // when they differ from what was indexed, so a file saved in an editor is found
        // without `kb index`; a large one is left to `kb index` and kb serve's watcher.
        // Never waits for another writer, never fails the search.
        constexpr long kRefreshUpTo = 2000;
        if (searcher.documentCount() <= kRefreshUpTo &&
            searcher.storedScanDigest() != search::scanDigest(s.root())) {
            search::SyncOptions refresh;
            refresh.lockTimeoutMs = 0;
            search::SyncReport report;
            std::string ignored;
            if (search::syncIndex(s.root(), s.indexSchema(), refresh, &report, &ignored) &&
                report.added + report.updated + report.removed > 0)
                return searcher.open(error);
        }
        return true;
    }
    if (s.stdoutIsTty)
        printErr(exists ? "kb: the plugins or vocabularies changed; rebuilding the index ...\n"
                        : "kb: building the search index for the first time ...\n");
    if (!ensureIndex(s, s.stdoutIsTty, error))
        return false;
    return searcher.open(error);
}

const std::vector<OptionSpec> &searchSpecs()
{
    static const std::vector<OptionSpec> specs = {
        {"json", false, "print one JSON object (the kb.search/2 contract in the README)"},
        {"limit", true, "how many hits to show (default 10, at most 1000)"},
        {"offset", true, "skip this many hits (paging)"},
        {"sort", true, "relevance (default), date (newest first), oldest, FIELD or -FIELD"},
        {"facets", false, "also print counts by type, touchpoint, customer, status, year"},
        {"exact", false,
         "count every match exactly (otherwise totals and facets above about 2,000 "
         "matches are estimated from a sample, within a few percent)"},
    };
    return specs;
}

bool readPaging(const ParsedArgs &a, search::SearchOptions &o, std::string *error)
{
    auto number = [&](const char *name, int fallback, int max, int *out) {
        const std::string v = a.value(name);
        if (v.empty()) {
            *out = fallback;
            return true;
        }
        char *end = nullptr;
        const long n = std::strtol(v.c_str(), &end, 10);
        if (*end || n < 0 || n > max) {
            *error = "--" + std::string(name) + " needs a number from 0 to " + std::to_string(max);
            return false;
        }
        *out = int(n);
        return true;
    };
    return number("limit", 10, 1000, &o.limit) && number("offset", 0, 1000000, &o.offset);
}

// Query words may start with '-' (negation): everything that is not a --option is
// passed through after "--", in order.
Args queryWordsLast(const Args &args)
{
    Args options, words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--") {
            words.insert(words.end(), args.begin() + long(i) + 1, args.end());
            break;
        }
        if (a.rfind("--", 0) != 0 && a != "-h") {
            words.push_back(a);
            continue;
        }
        options.push_back(a);
        for (const OptionSpec &spec : searchSpecs())
            if (spec.takesValue && a == "--" + spec.name && i + 1 < args.size())
                options.push_back(args[++i]);
    }
    options.push_back("--");
    options.insert(options.end(), words.begin(), words.end());
    return options;
}

int runQuery(Session &s, const std::string &command, const Args &args, bool similar)
{
    ParsedArgs a;
    std::string error;
    if (!parseArgs(queryWordsLast(args), searchSpecs(), false, &a, &error))
        return usageError(command, error);
    if (a.help) {
        printOut(similar
                     ? "Usage: kb similar ID [--json] [--limit N]\n\n"
                       "Records like the given one: for spotting a recurring problem.\n\n" +
                           formatOptions(searchSpecs())
                     : "Usage: kb search [--json] [--limit N] [--offset N] [--sort S] QUERY...\n\n"
                       "Query language (Chinese and English, mixed freely):\n"
                       "  割接 回退             every word must match (glossary synonyms count)\n"
                       "  \"割接方案\"            an exact phrase\n"
                       "  a OR b, a AND b, NOT a, -a, ( )\n"
                       "  type:lesson status:closed customer:马电 touchpoint:割接 tag:x\n"
                       "  owner:王磊 competitor:vendor-a year:2010 title:复盘\n"
                       "  date:2010-01..2010-12  due:..2026-11-22  date:2024-03\n"
                       "Traditional and simplified Chinese find each other.\n\n" +
                           formatOptions(searchSpecs()));
        return 0;
    }
    if (a.positional.empty())
        return usageError(command, similar ? "needs a record ID" : "needs a QUERY");
    search::SearchOptions o;
    if (!readPaging(a, o, &error))
        return usageError(command, error);
    o.sort = a.value("sort", "relevance");
    o.exactCounts = a.flag("exact");
    if (!s.openRoot(&error))
        return environmentError(error);
    std::string query;
    for (const std::string &p : a.positional)
        query += (query.empty() ? "" : " ") + p;

    search::Searcher searcher(s.root(), s.indexSchema(), s.lexicon());
    if (!openSearcher(s, searcher, &error))
        return environmentError(error);
    search::SearchResult r;
    try {
        r = similar ? searcher.similar(query, o) : searcher.search(query, o);
    } catch (const search::QueryError &e) {
        printErr("kb " + command + ": " + e.what() + "\n" +
                 (e.suggestion.empty() ? "" : "  hint: " + e.suggestion + "\n"));
        return 2;
    }
    if (a.flag("json"))
        // Indented for a reader, from the very text the web API sends.
        printJson(QJsonDocument::fromJson(QByteArray::fromStdString(searchResultJson(s, r, o))));
    else
        printHuman(s, r, o, a.flag("facets"));
    return r.total > 0 ? 0 : 1;
}

} // namespace

int runSearch(Session &s, const Args &args)
{
    return runQuery(s, "search", args, false);
}

std::vector<SimilarRecord> similarRecords(Session &s, const std::string &id, int limit)
{
    std::vector<SimilarRecord> out;
    if (search::IndexLocation(s.root().dir).current().empty())
        return out; // a first index build is not the filing's business
    try {
        search::Searcher searcher(s.root(), s.indexSchema(), s.lexicon());
        std::string error;
        if (!openSearcher(s, searcher, &error)) // a small root is synced first, as for search
            return out;
        search::SearchOptions o;
        o.limit = limit;
        o.facets = o.snippets = false;
        for (const search::SearchHit &h : searcher.similar(id, o).hits) {
            const PluginInfo *p = s.plugins().findRecordType(h.type);
            out.push_back({h.id, h.type, h.title, h.date,
                           p && p->schema.type == h.type && p->schema.isClosed(h.fields)});
        }
    } catch (const std::exception &) {
        out.clear();
    }
    return out;
}

int runSimilar(Session &s, const Args &args)
{
    return runQuery(s, "similar", args, true);
}

} // namespace kb
