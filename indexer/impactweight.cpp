#include "indexer/impactweight.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace kb::search {

namespace {

// Xapian's BM25Weight defaults (k1 1, k2 0, k3 1, b 0.5, min_normlen 0.5): rankings stay
// those kb had before impacts.
constexpr double kK1 = 1.0, kB = 0.5, kK3 = 1.0, kMinNormLength = 0.5;

} // namespace

std::string impactSignature()
{
    return "impacts:" + std::to_string(kImpactScale) + ":" + std::to_string(int(kK1 * 100)) + ":" +
           std::to_string(int(kB * 100)) + ":" + std::to_string(int(kMinNormLength * 100));
}

double documentLength(const Xapian::Document &doc)
{
    double length = 0;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        length += t.get_wdf();
    return length;
}

ReferenceLength ReferenceLength::of(const std::vector<double> &sampleLengths)
{
    if (sampleLengths.empty())
        return {kDefault, 0};
    double sum = 0;
    for (double l : sampleLengths)
        sum += l;
    return {std::max(1.0, std::round(sum / double(sampleLengths.size()))), sampleLengths.size()};
}

ReferenceLength ReferenceLength::parse(const std::string &text)
{
    // Whole numbers: strtod and to_string(double) would follow the locale Qt sets.
    char *end = nullptr;
    const long length = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != ' ' || length < 1)
        return {};
    const char *countText = end + 1;
    const long count = std::strtol(countText, &end, 10);
    if (end == countText || *end != '\0' || count < 0)
        return {};
    return {double(length), std::size_t(count)};
}

std::string ReferenceLength::serialize() const
{
    return std::to_string(std::lround(length)) + " " + std::to_string(sampled);
}

bool ReferenceLength::outgrown(std::size_t documents) const
{
    return sampled < kSample && documents >= 2 * sampled + 20;
}

void storeImpacts(Xapian::Document &doc, double referenceLength)
{
    // The term list must not change while it is walked: one walk for the length, a second
    // for the impacts (and the positions of the terms whose wdf goes down), then the
    // changes. Positions are read in the walk because a document's TermIterator::skip_to
    // steps from the first term: one per lowered term was quadratic in a large file.
    double length = 0;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
        length += t.get_wdf();
    const double normLength = std::max(length / std::max(1.0, referenceLength), kMinNormLength);
    const double lengthPart = kK1 * (normLength * kB + (1 - kB));
    struct Change {
        std::string term;
        Xapian::termcount wdf, impact;
        std::vector<Xapian::termpos> positions; // only when the wdf goes down
    };
    std::vector<Change> changes;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const Xapian::termcount wdf = t.get_wdf();
        if (wdf == 0)
            continue;
        const double part = double(wdf) / (lengthPart + double(wdf));
        const auto impact =
            Xapian::termcount(std::clamp(std::lround(part * kImpactScale), 1L, long(kImpactScale)));
        if (impact == wdf)
            continue;
        Change c{*t, wdf, impact, {}};
        if (impact < wdf)
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
                c.positions.push_back(*p);
        changes.push_back(std::move(c));
    }
    for (const Change &c : changes) {
        if (c.impact > c.wdf) {
            doc.add_term(c.term, c.impact - c.wdf); // in place, positions untouched
            continue;
        }
        // Lowering a wdf (only terms repeated about a hundred times) takes the term out
        // and back with its positions: Xapian has no call that lowers wdf alone.
        doc.remove_term(c.term);
        for (Xapian::termpos p : c.positions)
            doc.add_posting(c.term, p, 0);
        doc.add_term(c.term, c.impact);
    }
}

ImpactWeight::ImpactWeight()
{
    // No DOC_LENGTH: not reading a length per match is the point of storing impacts.
    need_stat(COLLECTION_SIZE);
    need_stat(TERMFREQ);
    need_stat(WDF);
    need_stat(WDF_MAX);
    need_stat(WQF);
}

std::string ImpactWeight::name() const
{
    return "kb::ImpactWeight";
}

ImpactWeight *ImpactWeight::clone() const
{
    return new ImpactWeight;
}

double ImpactWeight::unitWeight(double termfreq, double collectionSize, double wqf, double factor)
{
    // Xapian's BM25 idf, with its lift for terms in more than a third of the documents
    // (the textbook formula goes negative there).
    double ratio = (collectionSize - termfreq + 0.5) / (termfreq + 0.5);
    if (ratio < 2)
        ratio = ratio * 0.5 + 1;
    return std::log(ratio) * factor * (kK3 + 1) * wqf / (kK3 + wqf) * (kK1 + 1) /
           double(kImpactScale);
}

void ImpactWeight::init(double factor)
{
    termWeight_ = unitWeight(double(get_termfreq()), double(get_collection_size()),
                             double(get_wqf()), factor);
}

double ImpactWeight::get_sumpart(Xapian::termcount wdf, Xapian::termcount, Xapian::termcount) const
{
    // A synonym's wdf is the sum of its forms' impacts: saturated at one full impact.
    return termWeight_ * double(std::min(wdf, kImpactScale));
}

double ImpactWeight::get_maxpart() const
{
    return termWeight_ * double(std::min(get_wdf_upper_bound(), kImpactScale));
}

double ImpactWeight::get_sumextra(Xapian::termcount, Xapian::termcount) const
{
    return 0;
}

double ImpactWeight::get_maxextra() const
{
    return 0;
}

} // namespace kb::search
