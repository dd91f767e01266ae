#include "indexer/searcher.h"

#include "core/vocabulary.h"
#include "indexer/conceptterms.h"
#include "indexer/docidsample.h"
#include "indexer/documentbuilder.h"
#include "indexer/facetcodes.h"
#include "indexer/facetcolumn.h"
#include "indexer/impactweight.h"
#include "indexer/indexlocation.h"
#include "indexer/indexschema.h"
#include "indexer/indexsync.h"
#include "indexer/lexicon.h"
#include "indexer/memorymatcher.h"
#include "indexer/postingcache.h"
#include "indexer/querybuilder.h"
#include "indexer/snippet.h"
#include "indexer/spelling.h"
#include "indexer/storeddata.h"
#include "indexer/suggest.h"
#include "indexer/textanalysis.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace kb::search {

namespace {

// Counts the facet values of matching documents (multi-valued fields such as touchpoints
// included, which ValueCountMatchSpy cannot do): a few varint codes per document,
// counted into an array. As a MatchSpy it sees the ranked pass's candidates; the counting
// pass hands it its matches (countAll), so no Document object is made per match.
class FacetSpy : public Xapian::MatchSpy {
public:
    FacetSpy(std::size_t codes, const FacetColumn *column) : counts_(codes, 0), column_(column) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        count(doc.get_docid(), [&] { return doc.get_value(kSlotFacets); });
    }
    // Every match of an unweighted pass, which come in docid order. Without the in-memory
    // column (a one-off search) the codes come from one walk along the facet value
    // stream, not from a document opened per match (3 of a CLI search's 13 ms).
    void countAll(const Xapian::MSet &matches, const Xapian::Database &db)
    {
        if (column_) {
            for (auto it = matches.begin(); it != matches.end(); ++it)
                countDocid(*it);
            return;
        }
        auto stream = db.valuestream_begin(kSlotFacets);
        const auto end = db.valuestream_end(kSlotFacets);
        Xapian::docid previous = 0;
        for (auto it = matches.begin(); it != matches.end(); ++it) {
            const Xapian::docid docid = *it;
            if (docid < previous) { // not in docid order after all: read the document
                count(docid, [&] { return it.get_document().get_value(kSlotFacets); });
                continue;
            }
            previous = docid;
            if (stream != end && stream.get_docid() < docid)
                stream.skip_to(docid);
            const bool has = stream != end && stream.get_docid() == docid;
            count(docid, [&] { return has ? *stream : std::string(); });
        }
    }

    // One match, its codes read from the in-memory column (which must be there).
    void countDocid(Xapian::docid docid)
    {
        count(docid, [] { return std::string(); });
    }

    const std::vector<long> &counts() const { return counts_; }
    long seen() const { return seen_; }

private:
    template <class ReadValue> void count(Xapian::docid docid, ReadValue readValue)
    {
        ++seen_;
        const auto add = [this](std::uint32_t code) {
            if (code >= counts_.size())
                counts_.resize(code + 1, 0);
            ++counts_[code];
        };
        if (column_)
            column_->forEachCode(docid, add);
        else
            FacetCodes::forEachCode(readValue(), add);
    }

    std::vector<long> counts_;
    const FacetColumn *column_;
    long seen_ = 0;
};

// Rejects boolean and prefixed terms, single CJK characters and stop words: what is
// left says what a record is about.
class TopicTermDecider : public Xapian::ExpandDecider {
public:
    bool operator()(const std::string &term) const override
    {
        if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z'))
            return false;
        if (static_cast<unsigned char>(term[0]) >= 0x80) {
            std::size_t i = 0;
            decodeUtf8(term, i);
            return i < term.size(); // a bigram, not a unigram
        }
        return term.size() > 2 && !Lexicon::isStopWord(term);
    }
};

} // namespace

struct Searcher::Impl {
    KbRoot root;
    const IndexSchema &schema;
    const Lexicon &lexicon;
    std::optional<Xapian::Database> db;
    std::string dbPath;
    // The facet table of the open revision: read from the metadata once per revision, not
    // on every pass of every search.
    FacetCodes facetTable;
    std::string facetTableVersion;
    // Every document's facet codes, from the second search on a revision on: a one-off
    // search (the CLI) would spend more reading them than it saves.
    std::shared_ptr<const FacetColumn> facetColumn;
    int searchesOnFacetTable = 0;
    // Rank from decoded posting lists kept in memory (keepPostingsInMemory: kb serve).
    bool postingsInMemory = false;

    Impl(KbRoot r, const IndexSchema &s, const Lexicon &l)
        : root(std::move(r)), schema(s), lexicon(l)
    {
    }

    bool reopen(std::string *error)
    {
        const std::string path = IndexLocation(root.dir).current();
        if (path.empty()) {
            *error = "there is no index yet; run kb index";
            return false;
        }
        try {
            if (db && path == dbPath) {
                db->reopen();
            } else {
                db.emplace(path);
                dbPath = path;
            }
        } catch (const Xapian::Error &e) {
            *error = "the index cannot be read (" + e.get_msg() + "); run kb index --rebuild";
            db.reset();
            return false;
        }
        return true;
    }

    const FacetCodes &facetCodes(Xapian::Database &database)
    {
        const std::string version = dbPath + "@" + std::to_string(database.get_revision());
        if (version != facetTableVersion) {
            facetTable = FacetCodes::deserialize(database.get_metadata(kFacetCodesMetadataKey));
            facetTableVersion = version;
            facetColumn.reset();
            searchesOnFacetTable = 0;
        }
        if (!facetColumn && ++searchesOnFacetTable >= 2)
            facetColumn = FacetColumn::of(database, version);
        return facetTable;
    }

    // Runs `fn` with the database, reopening on concurrent modification.
    template <class Fn> auto withRetry(Fn fn)
    {
        for (int attempt = 0;; ++attempt) {
            try {
                return fn(*db);
            } catch (const Xapian::DatabaseModifiedError &) {
                if (attempt >= 4)
                    throw;
            } catch (const Xapian::DatabaseOpeningError &) {
                if (attempt >= 4)
                    throw;
            }
            std::string error;
            if (!reopen(&error))
                throw QueryError(error, "");
        }
    }

    void applySort(Xapian::Enquire &enquire, const std::string &sort, bool hasText) const
    {
        if (sort == "relevance" || sort.empty()) {
            if (!hasText) // filters only: newest first
                enquire.set_sort_by_value_then_relevance(kSlotDate, true);
            return;
        }
        if (sort == "date" || sort == "-date") {
            enquire.set_sort_by_value_then_relevance(kSlotDate, true);
            return;
        }
        if (sort == "oldest" || sort == "+date") {
            enquire.set_sort_by_value_then_relevance(kSlotDate, false);
            return;
        }
        const bool descending = sort[0] == '-';
        const std::string name = descending ? sort.substr(1) : sort;
        const IndexedField *f = schema.field(name);
        if (!f || f->slot == kNoSlot) {
            std::vector<std::string> names = sortNamesOf(schema);
            const std::string near = closestMatch(name, names);
            throw QueryError("cannot sort by '" + sort + "'",
                             near.empty() ? "sort by one of: " + join(names)
                                          : "did you mean --sort " + near + " ?");
        }
        enquire.set_sort_by_value_then_relevance(f->slot, descending);
    }

    static std::string join(const std::vector<std::string> &v)
    {
        std::string s;
        for (const auto &x : v)
            s += (s.empty() ? "" : ", ") + x;
        return s;
    }

    static std::vector<std::string> sortNamesOf(const IndexSchema &schema)
    {
        std::vector<std::string> names{"relevance", "date", "oldest"};
        for (const IndexedField &f : schema.fields())
            if (f.slot != kNoSlot && f.name != "date")
                names.push_back(f.name);
        return names;
    }

    // Taken per search, never kept: an idle searcher of a server's pool must not hold on
    // to the lists of a revision long gone.
    std::shared_ptr<PostingCache> postingCache(Xapian::Database &database) const
    {
        return PostingCache::of(dbPath + "@" + std::to_string(database.get_revision()));
    }

    SearchHit makeHit(const Xapian::Document &doc, double weight, int rank,
                      const std::vector<std::string> &highlight, bool snippets) const
    {
        const StoredData data = StoredData::unpack(doc.get_data());
        SearchHit h;
        h.rank = rank;
        h.id = data.get("id");
        h.path = data.get("path");
        h.type = data.get("type");
        h.title = data.get("title");
        h.date = data.get("date");
        h.score = weight;
        for (const auto &[k, v] : data.entries)
            if (k.rfind("f:", 0) == 0)
                h.fields.emplace_back(k.substr(2), v);
        if (snippets)
            h.snippet = makeSnippet(data.get("text"), highlight);
        return h;
    }

    // How many records match, and their facets: exact up to about kExactUpTo matches (and
    // always with options.exactCounts); beyond that, estimated from the matches among a
    // uniform 1-in-n sample of docids, sized for about kSampleTarget of them (within a few
    // percent), and marked as estimates, as web search engines and Lucene's sampling facets
    // do. Counting 80,000 matches exactly costs more than finding the best ten, and tells
    // the reader nothing "about 80,000" does not.
    // An exact count of 3,000 matches of three common words reads their whole posting
    // lists again, as long as ranking them did (1.1 ms on 100k records); a 1-in-2 sample
    // reads half and is within about 3 %.
    static constexpr long kSampleTarget = 2000, kExactUpTo = 2000;

    // 1 in how many docids to count, for about `expected` matches: all up to kExactUpTo.
    static unsigned sampleRate(long expected, bool exact)
    {
        return exact || expected <= kExactUpTo
                   ? 1u
                   : unsigned(std::max<long>(2, expected / kSampleTarget));
    }

    struct Counted {
        long total = 0;
        bool totalEstimated = false, facetsEstimated = false;
        std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;

        void into(SearchResult &r)
        {
            r.total = total;
            r.totalEstimated = totalEstimated;
            r.facetsSampled = facetsEstimated;
            r.facets = std::move(facets);
        }
    };

    // Matches among about 1 in `oneIn` docids (all of them for 1), unweighted, with their
    // facets; `scale` turns them into an estimate for all docids.
    struct Sampled {
        long matches = 0;
        double scale = 1;
    };
    Sampled countSample(Xapian::Database &database, const Xapian::Query &query, unsigned oneIn,
                        FacetSpy *spy) const
    {
        DocidSample sample(oneIn);
        const Xapian::docid last = database.get_lastdocid();
        const double scale =
            double(last) / double(std::max<Xapian::docid>(1, sample.sampledDocids(last)));
        Xapian::Enquire counter(database);
        counter.set_query(
            oneIn == 1 ? query
                       : Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(&sample)));
        counter.set_weighting_scheme(Xapian::BoolWeight());
        counter.set_docid_order(Xapian::Enquire::ASCENDING);
        const Xapian::doccount all = database.get_doccount();
        if (!spy)
            return {long(counter.get_mset(0, 0, all).get_matches_estimated()), scale};
        // The matches themselves, not a MatchSpy: Xapian would make a Document per match.
        const Xapian::MSet matches = counter.get_mset(0, all, all);
        spy->countAll(matches, database);
        return {long(matches.size()), scale};
    }

    // The count the ranked pass could not settle (it saw every match only when there were
    // few).
    Counted countRest(Xapian::Database &database, const Xapian::Query &query,
                      const Xapian::MSet &ranked, const FacetSpy &rankedSpy, bool facets,
                      const FacetCodes &codes, bool exact) const
    {
        Counted c;
        const long lower = long(ranked.get_matches_lower_bound());
        const long upper = long(ranked.get_matches_upper_bound());
        if (lower == upper && (!facets || rankedSpy.seen() == lower)) {
            c.total = lower;
            if (facets)
                collectFacets(codes, rankedSpy.counts(), 1, c);
            return c;
        }
        // Xapian's estimate sizes the sample; when it overshot (few matches in the
        // sample), a denser sample follows.
        long guess = long(ranked.get_matches_estimated());
        unsigned oneIn = 1;
        Sampled sampled;
        std::optional<FacetSpy> spy;
        for (;;) {
            oneIn = sampleRate(guess, exact);
            spy.emplace(codes.size(), facetColumn.get());
            sampled = countSample(database, query, oneIn, facets ? &*spy : nullptr);
            const long estimate = std::lround(double(sampled.matches) * sampled.scale);
            // Small after all: counted exactly next. Too few in the sample: a denser one.
            if (oneIn == 1 || (estimate > kExactUpTo && sampled.matches >= kSampleTarget / 4))
                break;
            guess = estimate;
        }
        const long inSample = sampled.matches;
        if (oneIn == 1 || lower == upper) {
            c.total = oneIn == 1 ? inSample : lower;
        } else {
            c.total = std::clamp(std::lround(double(inSample) * sampled.scale), lower, upper);
            c.totalEstimated = true;
        }
        if (facets) {
            c.facetsEstimated = oneIn > 1;
            collectFacets(codes, spy->counts(), double(c.total) / double(std::max(1L, inSample)),
                          c);
        }
        return c;
    }

    // The count and facets of matches the in-memory pass found, all of them: the total is
    // exact, the facets are counted on a sample of the same size as countRest's.
    Counted countFound(const std::vector<std::uint32_t> &docids, bool facets,
                       const FacetCodes &codes, bool exact) const
    {
        Counted c;
        c.total = long(docids.size());
        if (!facets)
            return c;
        unsigned oneIn = sampleRate(c.total, exact);
        for (;;) {
            DocidSample sample(oneIn);
            FacetSpy spy(codes.size(), facetColumn.get());
            for (auto at = docids.begin(); at != docids.end();) {
                const Xapian::docid next = sample.firstFrom(*at);
                if (next == *at)
                    spy.countDocid(*at++);
                else
                    at = std::lower_bound(at, docids.end(), next);
            }
            // Matches bunched where the sample does not look: counted exactly.
            if (oneIn > 1 && spy.seen() < kSampleTarget / 4) {
                oneIn = 1;
                continue;
            }
            c.facetsEstimated = oneIn > 1;
            collectFacets(codes, spy.counts(), double(c.total) / double(std::max(1L, spy.seen())),
                          c);
            return c;
        }
    }

    void collectFacets(const FacetCodes &codes, const std::vector<long> &counts, double scale,
                       Counted &c) const
    {
        std::map<std::string, std::vector<FacetCount>> byName;
        for (std::size_t code = 0; code < counts.size(); ++code)
            if (counts[code] > 0) {
                auto [name, value] = codes.entry(std::uint32_t(code));
                byName[name].push_back(
                    {value, std::max(1L, std::lround(double(counts[code]) * scale))});
            }
        for (const std::string &name : schema.facetNames()) {
            auto found = byName.find(name);
            if (found == byName.end())
                continue;
            std::vector<FacetCount> &values = found->second;
            std::stable_sort(values.begin(), values.end(),
                             [&](const FacetCount &a, const FacetCount &b) {
                                 return name == "year" ? a.value > b.value : a.count > b.count;
                             });
            c.facets.emplace_back(name, std::move(values));
        }
    }

    // The ranked page, with the count and facets of the matches it saw on the way; a
    // second, unweighted pass when there were more matches than it looked at.
    SearchResult run(const Xapian::Query &wanted, const ParsedQuery *parsed,
                     const SearchOptions &options, std::string_view text)
    {
        Xapian::Query query =
            options.excludeTerms.empty()
                ? wanted
                : Xapian::Query(Xapian::Query::OP_AND_NOT, wanted,
                                Xapian::Query(Xapian::Query::OP_OR, options.excludeTerms.begin(),
                                              options.excludeTerms.end()));
        if (!options.requireTerms.empty())
            query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_OR, options.requireTerms.begin(),
                                                options.requireTerms.end()));
        return withRetry([&](Xapian::Database &database) {
            SearchResult r;
            r.query = std::string(text);
            static const FacetCodes noFacets;
            const FacetCodes &codes = options.facets ? facetCodes(database) : noFacets;
            static const std::vector<std::string> none;
            const std::vector<std::string> &highlight = parsed ? parsed->highlight : none;
            const Xapian::doccount offset = Xapian::doccount(std::max(0, options.offset));
            const Xapian::doccount limit = Xapian::doccount(std::max(0, options.limit));
            const bool byRelevance = (options.sort == "relevance" || options.sort.empty()) &&
                                     (parsed ? parsed->hasText : true);
            if (postingsInMemory && parsed && parsed->unitWqf && byRelevance &&
                (!options.facets || facetColumn))
                if (auto found = MemoryMatcher::run(query, database, *postingCache(database),
                                                    offset, limit)) {
                    int rank = options.offset;
                    for (const MemoryMatcher::Hit &h : found->page)
                        r.hits.push_back(makeHit(database.get_document(h.docid), h.weight, ++rank,
                                                 highlight, options.snippets));
                    countFound(found->docids, options.facets, codes, options.exactCounts).into(r);
                    return r;
                }
            FacetSpy spy(codes.size(), options.facets ? facetColumn.get() : nullptr);
            Xapian::Enquire enquire(database);
            enquire.set_query(query);
            enquire.set_weighting_scheme(ImpactWeight());
            applySort(enquire, options.sort, parsed ? parsed->hasText : true);
            if (options.facets)
                enquire.add_matchspy(&spy);
            const Xapian::MSet mset = enquire.get_mset(offset, limit);
            int rank = options.offset;
            for (auto it = mset.begin(); it != mset.end(); ++it)
                r.hits.push_back(makeHit(it.get_document(), it.get_weight(), ++rank, highlight,
                                         options.snippets));
            countRest(database, query, mset, spy, options.facets, codes, options.exactCounts)
                .into(r);
            return r;
        });
    }
};

Searcher::Searcher(KbRoot root, const IndexSchema &schema, const Lexicon &lexicon)
    : d_(std::make_unique<Impl>(std::move(root), schema, lexicon))
{
}

Searcher::~Searcher() = default;

void Searcher::keepPostingsInMemory()
{
    d_->postingsInMemory = true;
}

bool Searcher::open(std::string *error)
{
    return d_->reopen(error);
}

std::string Searcher::indexVersion() const
{
    try {
        return d_->db ? d_->dbPath + "@" + std::to_string(d_->db->get_revision()) : std::string();
    } catch (const Xapian::Error &) {
        return {};
    }
}

std::string Searcher::metadata(const char *key) const
{
    try {
        return d_->db ? d_->db->get_metadata(key) : std::string();
    } catch (const Xapian::Error &) {
        return {};
    }
}

std::string Searcher::indexSignature() const
{
    return metadata(kSignatureMetadataKey);
}

std::string Searcher::storedScanDigest() const
{
    return metadata(kScanDigestMetadataKey);
}

long Searcher::documentCount() const
{
    try {
        return d_->db ? long(d_->db->get_doccount()) : 0;
    } catch (const Xapian::Error &) {
        return 0;
    }
}

std::vector<std::string> Searcher::sortNames() const
{
    return Impl::sortNamesOf(d_->schema);
}

SearchResult Searcher::search(std::string_view query, const SearchOptions &options)
{
    SearchResult r = searchWords(query, options);
    if (r.exactTotal == 0)
        r.suggestion = suggest(query);
    if (!r.suggestion.empty() && (!options.excludeTerms.empty() || !options.requireTerms.empty())) {
        // The spelling table knows words of records this reader may not see: a
        // suggestion is only offered when it finds a record the reader may see.
        SearchOptions probe = options;
        probe.limit = 0;
        probe.offset = 0;
        probe.facets = probe.snippets = false;
        if (searchWords(r.suggestion, probe).total == 0)
            r.suggestion.clear();
    }
    return r;
}

namespace {

bool isCjkWord(std::string_view word)
{
    return !word.empty() && static_cast<unsigned char>(word[0]) >= 0xE3;
}

// A Chinese word records hold: every character pair of it is an indexed bigram.
bool cjkWordIndexed(const Xapian::Database &db, std::string_view word)
{
    std::vector<std::string> chars;
    for (std::size_t i = 0; i < word.size();) {
        const std::size_t start = i;
        decodeUtf8(word, i);
        chars.push_back(std::string(word.substr(start, i - start)));
    }
    if (chars.size() < 2)
        return db.term_exists(chars.empty() ? std::string() : chars.front());
    for (std::size_t i = 0; i + 1 < chars.size(); ++i)
        if (!db.term_exists(chars[i] + chars[i + 1]))
            return false;
    return true;
}

} // namespace

std::string Searcher::suggest(std::string_view query)
{
    // Candidates for Chinese words: every label and alias of the vocabularies.
    std::vector<std::string> labels;
    const Vocabularies &vocab = d_->schema.vocab();
    for (const std::string &name : vocab.names())
        if (const auto *terms = vocab.get(name))
            for (const Term &t : *terms) {
                labels.push_back(foldText(t.zh));
                for (const std::string &a : t.aliases)
                    if (isCjkWord(a))
                        labels.push_back(foldText(a));
            }
    return d_->withRetry([&](Xapian::Database &db) {
        std::string out;
        bool changed = false;
        std::size_t pos = 0;
        const std::string text(query);
        while (pos < text.size()) {
            const std::size_t start = text.find_first_not_of(' ', pos);
            if (start == std::string::npos)
                break;
            std::size_t end = text.find(' ', start);
            if (end == std::string::npos)
                end = text.size();
            std::string word = text.substr(start, end - start);
            pos = end;
            // Operators, field:value, phrases and exclusions are the user's syntax: kept.
            const bool plain = word.find_first_of(":\"()-") == std::string::npos && word != "OR" &&
                               word != "AND" && word != "NOT";
            const std::string folded = foldText(word);
            std::string better;
            if (plain && isSpellingWord(folded)) {
                if (!db.term_exists(folded))
                    better = db.get_spelling_suggestion(folded, 2);
            } else if (plain && isCjkWord(folded) && !cjkWordIndexed(db, folded)) {
                better = closestMatch(folded, labels, 1);
            }
            if (!better.empty() && better != folded) {
                word = better;
                changed = true;
            }
            out += (out.empty() ? "" : " ") + word;
        }
        return changed ? out : std::string();
    });
}

SearchResult Searcher::searchWords(std::string_view query, const SearchOptions &options)
{
    const ParsedQuery parsed = QueryBuilder(d_->schema, d_->lexicon).parse(query);
    if (parsed.question && parsed.relaxable && !parsed.cannotMatch) {
        // Rank every record with some of the words by how much of the question it
        // covers; records with all of it score on both halves and come first.
        SearchResult r = d_->run(Xapian::Query(Xapian::Query::OP_OR, parsed.relaxed, parsed.strict),
                                 &parsed, options, query);
        SearchOptions count = options;
        count.limit = 0;
        count.facets = false;
        const SearchResult strict = d_->run(parsed.strict, &parsed, count, query);
        r.exactTotal = std::min(strict.total, r.total); // two estimates may cross
        r.totalEstimated = r.totalEstimated || strict.totalEstimated;
        r.relaxed = r.total > r.exactTotal;
        r.notes = parsed.notes;
        r.synonyms = parsed.synonyms;
        return r;
    }
    SearchResult r = d_->run(parsed.strict, &parsed, options, query);
    r.exactTotal = r.total;
    r.notes = parsed.notes;
    r.synonyms = parsed.synonyms;
    if (r.total >= SearchResult::kFillBelow || !parsed.relaxable || parsed.cannotMatch)
        return r;
    // Few records have every word (a question, a rare combination): the records that
    // have some of them follow, so the page is never empty for want of one word. The
    // order is fixed by the strict count, so paging stays consistent.
    const Xapian::Query extra(Xapian::Query::OP_AND_NOT, parsed.relaxed, parsed.strict);
    SearchOptions more = options;
    more.offset = int(std::max<long>(0, long(options.offset) - r.exactTotal));
    more.limit = options.limit - int(r.hits.size());
    SearchResult e = d_->run(extra, &parsed, more, query);
    if (e.total == 0)
        return r;
    int rank = options.offset + int(r.hits.size());
    for (SearchHit &h : e.hits) {
        h.rank = ++rank;
        r.hits.push_back(std::move(h));
    }
    r.total += e.total;
    r.totalEstimated = r.totalEstimated || e.totalEstimated;
    r.relaxed = true;
    r.facetsSampled = r.facetsSampled || e.facetsSampled;
    for (auto &[name, values] : e.facets) {
        const std::string &facet = name; // clang 14 cannot capture a structured binding
        auto own = std::find_if(r.facets.begin(), r.facets.end(),
                                [&](const auto &f) { return f.first == facet; });
        if (own == r.facets.end()) {
            r.facets.emplace_back(name, values);
            continue;
        }
        for (const FacetCount &c : values) {
            auto v = std::find_if(own->second.begin(), own->second.end(),
                                  [&](const FacetCount &x) { return x.value == c.value; });
            if (v == own->second.end())
                own->second.push_back(c);
            else
                v->count += c.count;
        }
        std::stable_sort(own->second.begin(), own->second.end(),
                         [&](const FacetCount &a, const FacetCount &b) {
                             return facet == "year" ? a.value > b.value : a.count > b.count;
                         });
    }
    return r;
}

// Records like one: the words and glossary concepts it shares with at least one other
// record, weighted by how much they weigh in it (the impact the index stores) and how
// rare they are, plus the values of its shared fields (vocabulary and list fields: the
// customer, touchpoints, tags, competitor, principles, linked records). A term only this
// record has cannot find a neighbour, and one in most records tells nothing; both are
// left out, so a single document is enough to pick from.
SearchResult Searcher::similar(std::string_view id, const SearchOptions &options)
{
    return d_->withRetry([&](Xapian::Database &db) {
        const std::string idTerm = booleanTerm(prefix::kId, id);
        Xapian::PostingIterator p = db.postlist_begin(idTerm);
        // A record the caller may not see is as unknown as one that does not exist.
        const auto has = [&](Xapian::docid doc, const std::string &t) {
            Xapian::PostingIterator e = db.postlist_begin(t);
            e.skip_to(doc);
            return e != db.postlist_end(t) && *e == doc;
        };
        const auto excluded = [&](Xapian::docid doc) {
            for (const std::string &t : options.excludeTerms)
                if (has(doc, t))
                    return true;
            return !options.requireTerms.empty() &&
                   std::none_of(options.requireTerms.begin(), options.requireTerms.end(),
                                [&](const std::string &t) { return has(doc, t); });
        };
        if (p == db.postlist_end(idTerm) || excluded(*p))
            throw QueryError("no record with id '" + std::string(id) + "' in the index",
                             "check the id with kb list, or run kb index");
        const double records = std::max(2u, db.get_doccount());
        std::vector<std::string> sharedPrefixes;
        for (const IndexedField &f : d_->schema.fields())
            if (!f.prefix.empty() && (!f.spec.vocabulary.empty() || f.spec.type == FieldType::List))
                sharedPrefixes.push_back(f.prefix);
        struct Pick {
            std::string term;
            double weight;
        };
        std::vector<Pick> words, fields;
        TopicTermDecider decider;
        const Xapian::Document doc = db.get_document(*p);
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            const std::string &term = *t;
            const double df = t.get_termfreq();
            if (df < 2)
                continue;
            const double rarity = std::log(1.0 + records / df);
            const bool isConcept = term.rfind(prefix::kConcept, 0) == 0;
            if (decider(term) || isConcept) {
                if (records >= 20 && df > records / 2)
                    continue;
                words.push_back({term, (1.0 + std::log(1.0 + t.get_wdf())) * rarity});
                continue;
            }
            for (const std::string &prefix : sharedPrefixes)
                if (term.rfind(prefix, 0) == 0 && term.size() > prefix.size()) {
                    fields.push_back({term, std::min(2.0, 0.5 * (1.0 + rarity))});
                    break;
                }
        }
        std::sort(words.begin(), words.end(),
                  [](const Pick &a, const Pick &b) { return a.weight > b.weight; });
        if (words.size() > 40)
            words.resize(40);
        std::vector<Xapian::Query> parts;
        const double top = words.empty() ? 1.0 : words.front().weight;
        for (const Pick &w : words)
            parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(w.term),
                               w.weight / top);
        // Field terms carry no weight of their own: a fixed one per shared value.
        for (const Pick &f : fields)
            parts.emplace_back(
                Xapian::Query::OP_AND, Xapian::Query(f.term),
                Xapian::Query((new Xapian::FixedWeightPostingSource(f.weight))->release()));
        Xapian::Query q =
            parts.empty()
                ? Xapian::Query::MatchNothing
                : Xapian::Query(Xapian::Query::OP_AND_NOT,
                                Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()),
                                Xapian::Query(idTerm));
        ParsedQuery parsed;
        parsed.hasText = true;
        for (const Pick &w : words)
            if (w.term.rfind(prefix::kConcept, 0) != 0)
                parsed.highlight.push_back(w.term[0] == 'Z' ? w.term.substr(1) : w.term);
        return d_->run(q, &parsed, options, std::string("similar:") + std::string(id));
    });
}

} // namespace kb::search
