#include "indexer/memorymatcher.h"

#include "indexer/impactweight.h"
#include "indexer/postingcache.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>

namespace kb::search {

namespace {
std::atomic<std::uint64_t> ranked{0};
}

std::uint64_t MemoryMatcher::timesRanked()
{
    return ranked.load(std::memory_order_relaxed);
}

namespace {

// Matches of a subquery, docids ascending, with their weights: a term's are read from
// its cached postings in place (most operands are terms), others are built.
struct Matches {
    std::shared_ptr<const TermPostings> term;
    double unit = 0; // a term's weight per unit of impact
    std::vector<std::uint32_t> docids;
    std::vector<double> weights;

    std::size_t size() const { return term ? term->docids.size() : docids.size(); }
    const std::uint32_t *ids() const { return term ? term->docids.data() : docids.data(); }
    double weight(std::size_t i) const
    {
        return term ? unit * double(term->impacts[i]) : weights[i];
    }
    void reserve(std::size_t n)
    {
        docids.reserve(n);
        weights.reserve(n);
    }
    void add(std::uint32_t docid, double w)
    {
        docids.push_back(docid);
        weights.push_back(w);
    }
};

// The first position in docids[from..] holding at least `docid`: galloping, since a
// short list intersected with a long one skips most of it.
std::size_t seek(const Matches &m, std::size_t from, std::uint32_t docid)
{
    const std::uint32_t *ids = m.ids();
    const std::size_t size = m.size();
    std::size_t step = 1, hi = from;
    while (hi < size && ids[hi] < docid) {
        from = hi + 1;
        hi += step;
        step *= 2;
    }
    hi = std::min(hi, size);
    return std::size_t(std::lower_bound(ids + from, ids + hi, docid) - ids);
}

// Calls visit(i, j) for each document i of `a`, where j is its position in `b`, or
// b.size() when `b` lacks it.
template <class Visit> void alongside(const Matches &a, const Matches &b, Visit visit)
{
    std::size_t j = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::uint32_t docid = a.ids()[i];
        j = seek(b, j, docid);
        visit(i, j < b.size() && b.ids()[j] == docid ? j : b.size());
    }
}

// Whether every part of `q` is one Evaluator evaluates (checked before any work).
bool evaluable(const Xapian::Query &q)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: {
        const std::string term = *q.get_terms_begin();
        return !term.empty();
    }
    case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
    case Xapian::Query::OP_PHRASE:
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
            if (q.get_subquery(i).get_type() != Xapian::Query::LEAF_TERM ||
                !evaluable(q.get_subquery(i)))
                return false;
        return q.get_num_subqueries() > 0;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
            if (!evaluable(q.get_subquery(i)))
                return false;
        return true;
    default:
        return false;
    }
}

// A fixed, ascending list of docids as a Xapian posting source: Xapian checks a phrase's
// positions for these documents only.
class DocidList : public Xapian::PostingSource {
public:
    explicit DocidList(std::shared_ptr<const std::vector<std::uint32_t>> docids)
        : docids_(std::move(docids))
    {
    }
    void init(const Xapian::Database &) override { at_ = 0, started_ = false; }
    Xapian::doccount get_termfreq_min() const override { return Xapian::doccount(size()); }
    Xapian::doccount get_termfreq_est() const override { return Xapian::doccount(size()); }
    Xapian::doccount get_termfreq_max() const override { return Xapian::doccount(size()); }
    void next(double) override
    {
        if (started_ && at_ < size())
            ++at_;
        started_ = true;
    }
    void skip_to(Xapian::docid docid, double) override
    {
        started_ = true;
        at_ = std::size_t(std::lower_bound(docids_->begin() + long(std::min(at_, size())),
                                           docids_->end(), docid) -
                          docids_->begin());
    }
    bool at_end() const override { return at_ >= size(); }
    Xapian::docid get_docid() const override { return (*docids_)[at_]; }
    DocidList *clone() const override { return new DocidList(docids_); }

private:
    std::size_t size() const { return docids_->size(); }
    std::shared_ptr<const std::vector<std::uint32_t>> docids_;
    std::size_t at_ = 0;
    bool started_ = false;
};

// Whether `q` has a phrase as an AND_MAYBE's optional operand: it changes weights, never
// which documents match, so it can be checked for the best candidates only.
bool hasOptionalPhrase(const Xapian::Query &q)
{
    const std::size_t n = q.get_num_subqueries();
    for (std::size_t i = 0; i < n; ++i) {
        const Xapian::Query sub = q.get_subquery(i);
        if ((q.get_type() == Xapian::Query::OP_AND_MAYBE && i > 0 &&
             sub.get_type() == Xapian::Query::OP_PHRASE) ||
            hasOptionalPhrase(sub))
            return true;
    }
    return false;
}

class Evaluator {
public:
    // `optimistic`: a phrase that only adds weight (an AND_MAYBE's optional operand) is
    // taken to hold wherever all its words are, an upper bound on the real weight.
    // `only`: evaluate for these documents (ascending) alone.
    Evaluator(const Xapian::Database &db, PostingCache &cache, bool optimistic,
              std::shared_ptr<const std::vector<std::uint32_t>> only = nullptr)
        : db_(db), cache_(cache), documents_(double(db.get_doccount())), optimistic_(optimistic),
          only_(std::move(only))
    {
    }

    bool deferred() const { return deferred_; }

    // `weighted` false: only which documents match is wanted (a filter's operands).
    std::optional<Matches> eval(const Xapian::Query &q, bool weighted)
    {
        switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM:
            return leaf(q, weighted);
        case Xapian::Query::LEAF_MATCH_NOTHING:
            return Matches{};
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER:
            return both(q, weighted);
        case Xapian::Query::OP_OR:
            return either(q, weighted);
        case Xapian::Query::OP_AND_NOT:
            return without(q, weighted);
        case Xapian::Query::OP_AND_MAYBE:
            return maybe(q, weighted);
        case Xapian::Query::OP_PHRASE:
            return phrase(q, weighted);
        default:
            return std::nullopt;
        }
    }

private:
    std::optional<Matches> leaf(const Xapian::Query &q, bool weighted)
    {
        const std::string term = *q.get_terms_begin();
        if (term.empty())
            return std::nullopt;
        Matches m;
        m.term = cache_.get(db_, term);
        if (weighted)
            m.unit = ImpactWeight::unitWeight(double(db_.get_termfreq(term)), documents_, 1, 1);
        if (!only_)
            return m;
        Matches kept;
        std::size_t j = 0;
        for (const std::uint32_t docid : *only_) {
            j = seek(m, j, docid);
            if (j < m.size() && m.ids()[j] == docid)
                kept.add(docid, m.weight(j));
        }
        return kept;
    }

    // Which documents hold the phrase is Xapian's to say (positions are not cached); it
    // walks the rarest word's postings, mostly few. Its weight is its words' weights,
    // summed as an AND of them sums.
    std::optional<Matches> phrase(const Xapian::Query &q, bool weighted, bool optional = false)
    {
        // Rarest first, as Xapian's AND of the words sums them.
        const std::vector<std::size_t> order = rarestFirst(q);
        const auto word = [&](std::size_t i) { return leaf(q.get_subquery(i), weighted); };
        Matches out;
        if (optional && optimistic_) {
            for (std::size_t k = 0; k < order.size(); ++k) {
                std::optional<Matches> w = word(order[k]);
                if (!w)
                    return std::nullopt;
                out = k == 0 ? std::move(*w) : intersect(out, *w);
            }
            deferred_ = deferred_ || out.size() > 0; // no document has every word: exact
            return out;
        }
        Xapian::Enquire enquire(db_);
        enquire.set_query(only_ ? Xapian::Query(Xapian::Query::OP_FILTER, q,
                                                Xapian::Query((new DocidList(only_))->release()))
                                : q);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        enquire.set_docid_order(Xapian::Enquire::ASCENDING);
        const Xapian::MSet found = enquire.get_mset(0, db_.get_doccount());
        for (auto it = found.begin(); it != found.end(); ++it)
            out.docids.push_back(*it);
        std::sort(out.docids.begin(), out.docids.end());
        out.weights.assign(out.docids.size(), 0.0);
        if (!weighted || out.docids.empty())
            return out;
        for (const std::size_t k : order) {
            const std::optional<Matches> w = word(k);
            if (!w)
                return std::nullopt;
            alongside(out, *w, [&](std::size_t i, std::size_t j) {
                if (j < w->size())
                    out.weights[i] += w->weight(j);
            });
        }
        return out;
    }

    // At most how many documents `q` matches, from term frequencies alone.
    Xapian::doccount upperBound(const Xapian::Query &q) const
    {
        const std::size_t n = q.get_num_subqueries();
        switch (q.get_type()) {
        case Xapian::Query::LEAF_TERM:
            return db_.get_termfreq(*q.get_terms_begin());
        case Xapian::Query::OP_OR: {
            Xapian::doccount sum = 0;
            for (std::size_t i = 0; i < n; ++i)
                sum = std::min(db_.get_doccount(), sum + upperBound(q.get_subquery(i)));
            return sum;
        }
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER:
        case Xapian::Query::OP_PHRASE: {
            Xapian::doccount least = db_.get_doccount();
            for (std::size_t i = 0; i < n; ++i)
                least = std::min(least, upperBound(q.get_subquery(i)));
            return least;
        }
        case Xapian::Query::OP_AND_NOT:
        case Xapian::Query::OP_AND_MAYBE:
            return n > 0 ? upperBound(q.get_subquery(0)) : 0;
        default:
            return 0;
        }
    }

    // The indices of q's operands, those with the fewest possible matches first.
    std::vector<std::size_t> rarestFirst(const Xapian::Query &q) const
    {
        const std::size_t n = q.get_num_subqueries();
        std::vector<std::size_t> order(n);
        std::vector<Xapian::doccount> most(n);
        for (std::size_t i = 0; i < n; ++i) {
            order[i] = i;
            most[i] = upperBound(q.get_subquery(i));
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return most[a] < most[b]; });
        return order;
    }

    std::optional<std::vector<Matches>> operands(const Xapian::Query &q, bool weighted,
                                                 bool firstOnlyWeighted)
    {
        std::vector<Matches> out;
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
            auto m = eval(q.get_subquery(i), weighted && (i == 0 || !firstOnlyWeighted));
            if (!m)
                return std::nullopt;
            out.push_back(std::move(*m));
        }
        return out;
    }

    // AND sums the weights of all operands, FILTER keeps the first one's. Shortest lists
    // first, as Xapian orders them, and summed in that order.
    std::optional<Matches> both(const Xapian::Query &q, bool weighted)
    {
        const bool filter = q.get_type() == Xapian::Query::OP_FILTER;
        const std::size_t n = q.get_num_subqueries();
        // The likely smallest first: one with no matches ends it before the big ones.
        std::vector<std::size_t> order = rarestFirst(q);
        auto ops = std::make_optional<std::vector<Matches>>(n);
        for (const std::size_t i : order) {
            auto m = eval(q.get_subquery(i), weighted && (i == 0 || !filter));
            if (!m)
                return std::nullopt;
            if (m->size() == 0)
                return Matches{};
            (*ops)[i] = std::move(*m);
        }
        if (n == 0)
            return Matches{};
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return (*ops)[a].size() < (*ops)[b].size();
        });
        // (w0 + w1) + w2 ...: Xapian's sum, in its order (its leading 0.0 + w0 is w0).
        Matches out = std::move((*ops)[order[0]]);
        for (std::size_t k = 1; k < order.size(); ++k)
            out = intersect(out, (*ops)[order[k]]);
        return out;
    }

    // The docids in both `a` and `b`, with a's weight plus b's.
    static Matches intersect(const Matches &a, const Matches &b)
    {
        Matches out;
        const std::size_t n = a.size(), m = b.size();
        const std::uint32_t *x = a.ids(), *y = b.ids();
        out.reserve(std::min(n, m));
        const bool gallop = m > 8 * n;
        for (std::size_t i = 0, j = 0; i < n && j < m; ++i) {
            const std::uint32_t docid = x[i];
            if (gallop)
                j = seek(b, j, docid);
            else
                while (j < m && y[j] < docid)
                    ++j;
            if (j < m && y[j] == docid)
                out.add(docid, a.weight(i) + b.weight(j));
        }
        return out;
    }

    static Matches merge(const Matches &a, const Matches &b)
    {
        // Written through raw pointers into arrays sized for the worst case: the
        // merge of two lists of 100,000 is the whole cost of a broad OR.
        Matches out;
        out.docids.resize(a.size() + b.size());
        out.weights.resize(a.size() + b.size());
        std::uint32_t *docid = out.docids.data();
        double *weight = out.weights.data();
        const std::uint32_t *x = a.ids(), *y = b.ids();
        const std::size_t n = a.size(), m = b.size();
        std::size_t i = 0, j = 0, k = 0;
        while (i < n && j < m) {
            if (x[i] < y[j]) {
                docid[k] = x[i];
                weight[k++] = a.weight(i++);
            } else if (y[j] < x[i]) {
                docid[k] = y[j];
                weight[k++] = b.weight(j++);
            } else {
                docid[k] = x[i];
                weight[k++] = a.weight(i++) + b.weight(j++);
            }
        }
        for (; i < n; ++i, ++k) {
            docid[k] = x[i];
            weight[k] = a.weight(i);
        }
        for (; j < m; ++j, ++k) {
            docid[k] = y[j];
            weight[k] = b.weight(j);
        }
        out.docids.resize(k);
        out.weights.resize(k);
        return out;
    }

    std::optional<Matches> either(const Xapian::Query &q, bool weighted)
    {
        auto ops = operands(q, weighted, false);
        if (!ops)
            return std::nullopt;
        Matches out;
        for (std::size_t k = 0; k < ops->size(); ++k)
            if (k == 0 || out.size() == 0)
                out = std::move((*ops)[k]);
            else if ((*ops)[k].size() > 0)
                out = merge(out, (*ops)[k]);
        return out;
    }

    std::optional<Matches> without(const Xapian::Query &q, bool weighted)
    {
        auto ops = operands(q, weighted, true);
        if (!ops || ops->empty())
            return ops ? std::optional<Matches>(Matches{}) : std::nullopt;
        Matches out = std::move((*ops)[0]);
        for (std::size_t k = 1; k < ops->size(); ++k) {
            const Matches &drop = (*ops)[k];
            if (drop.size() == 0)
                continue;
            Matches kept;
            kept.reserve(out.size());
            alongside(out, drop, [&](std::size_t i, std::size_t j) {
                if (j == drop.size())
                    kept.add(out.ids()[i], out.weight(i));
            });
            out = std::move(kept);
        }
        return out;
    }

    std::optional<Matches> maybe(const Xapian::Query &q, bool weighted)
    {
        // Unweighted, only the first operand decides which documents match.
        if (!weighted)
            return q.get_num_subqueries() > 0 ? eval(q.get_subquery(0), false)
                                              : std::optional<Matches>(Matches{});
        if (q.get_num_subqueries() == 0)
            return Matches{};
        std::optional<Matches> first = eval(q.get_subquery(0), true);
        if (!first)
            return std::nullopt;
        Matches out = std::move(*first);
        for (std::size_t k = 1; k < q.get_num_subqueries() && out.size() > 0; ++k) {
            const Xapian::Query sub = q.get_subquery(k);
            const std::optional<Matches> optional = sub.get_type() == Xapian::Query::OP_PHRASE
                                                        ? phrase(sub, true, true)
                                                        : eval(sub, true);
            if (!optional)
                return std::nullopt;
            const Matches &extra = *optional;
            if (extra.size() == 0)
                continue;
            Matches sum;
            sum.reserve(out.size());
            alongside(out, extra, [&](std::size_t i, std::size_t j) {
                sum.add(out.ids()[i],
                        j < extra.size() ? out.weight(i) + extra.weight(j) : out.weight(i));
            });
            out = std::move(sum);
        }
        return out;
    }

    const Xapian::Database &db_;
    PostingCache &cache_;
    const double documents_;
    const bool optimistic_;
    const std::shared_ptr<const std::vector<std::uint32_t>> only_;
    bool deferred_ = false; // an optional phrase was taken to hold
};

} // namespace

namespace {

using Hit = MemoryMatcher::Hit;

bool better(const Hit &a, const Hit &b)
{
    return a.weight > b.weight || (a.weight == b.weight && a.docid < b.docid);
}

// The best `want` of `matches`, best first: a heap of that size, worst on top.
std::vector<Hit> bestOf(const Matches &matches, std::size_t want)
{
    std::vector<Hit> best;
    best.reserve(want + 1);
    if (want > 0)
        for (std::size_t i = 0; i < matches.size(); ++i) {
            const Hit h{matches.ids()[i], matches.weight(i)};
            if (best.size() < want) {
                best.push_back(h);
                std::push_heap(best.begin(), best.end(), better);
            } else if (better(h, best.front())) {
                std::pop_heap(best.begin(), best.end(), better);
                best.back() = h;
                std::push_heap(best.begin(), best.end(), better);
            }
        }
    std::sort_heap(best.begin(), best.end(), better);
    return best;
}

// `bounds` weighs optional phrases as if they held: the documents best by it are weighed
// exactly (their phrases checked), more of them until the want-th exact weight beats
// every bound left out. A phrase check costs Xapian about half a microsecond a document;
// checking all of 20,000 candidates was most of such a search.
std::optional<std::vector<Hit>> verifiedBest(const Matches &bounds, std::size_t want,
                                             const Xapian::Query &query, const Xapian::Database &db,
                                             PostingCache &cache)
{
    std::vector<Hit> all(bounds.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = {bounds.ids()[i], bounds.weight(i)};
    for (std::size_t take = std::max(2 * want, want + 16);; take *= 4) {
        take = std::min(take, all.size());
        if (take < all.size())
            std::nth_element(all.begin(), all.begin() + long(take), all.end(), better);
        auto only = std::make_shared<std::vector<std::uint32_t>>();
        for (std::size_t i = 0; i < take; ++i)
            only->push_back(all[i].docid);
        std::sort(only->begin(), only->end());
        Evaluator exact(db, cache, false, only);
        const std::optional<Matches> weighed = exact.eval(query, true);
        if (!weighed)
            return std::nullopt;
        std::vector<Hit> best = bestOf(*weighed, want);
        if (take == all.size())
            return best;
        const Hit &outside = *std::min_element(all.begin() + long(take), all.end(), better);
        // A margin for sums rounded in another order; a tie at the edge looks further.
        if (best.size() == want && best.back().weight > outside.weight * (1 + 1e-12))
            return best;
    }
}

} // namespace

std::optional<MemoryMatcher::Result> MemoryMatcher::run(const Xapian::Query &query,
                                                        const Xapian::Database &db,
                                                        PostingCache &cache, std::size_t first,
                                                        std::size_t count)
{
    if (!evaluable(query))
        return std::nullopt;
    const std::size_t want = first + count;
    Evaluator evaluator(db, cache, want > 0 && hasOptionalPhrase(query));
    std::optional<Matches> matches = evaluator.eval(query, true);
    if (!matches)
        return std::nullopt;
    std::optional<std::vector<Hit>> best = evaluator.deferred()
                                               ? verifiedBest(*matches, want, query, db, cache)
                                               : bestOf(*matches, want);
    if (!best)
        return std::nullopt;
    Result r;
    if (best->size() > first)
        r.page.assign(best->begin() + long(first), best->end());
    r.docids = matches->term ? matches->term->docids : std::move(matches->docids);
    ranked.fetch_add(1, std::memory_order_relaxed);
    return r;
}

} // namespace kb::search
