#pragma once

#include "indexer/indexformat.h"
#include <xapian.h>

#include <string>
#include <vector>

namespace kb::search {

// BM25 with its length normalisation done at index time. Each weighted term's wdf is
// stored as its quantised BM25 term-frequency part, wdf / (k1 * (1 - b + b * len / L) +
// wdf) scaled to 1..kImpactScale, where L is a reference length fixed per index. At query
// time ImpactWeight multiplies it by Xapian's BM25 term weight, so the ranking is BM25's
// (Xapian's defaults: k1 1, b 0.5, its idf) and the matcher never reads a document
// length: on broad queries over 100,000 records that was a third of the ranked pass
// (bench/RESULTS.md).
inline constexpr Xapian::termcount kImpactScale = 127; // one byte in Xapian's varints

// Rewrites the wdf of every weighted term of `doc` (boolean terms, wdf 0, stay) to its
// impact; positions are kept. `referenceLength` is the typical document length (sum of
// wdf before this step) the normalisation is relative to.
void storeImpacts(Xapian::Document &doc, double referenceLength);

// The length of `doc` as BM25 counts it: the sum of its wdf before storeImpacts.
double documentLength(const Xapian::Document &doc);

// The length an index's impacts are normalised against: the mean length of a sample of
// its documents, and how many there were. Kept in the index metadata as "LENGTH COUNT".
struct ReferenceLength {
    static constexpr std::size_t kSample = 200; // documents measured at a rebuild, at most
    static constexpr double kDefault = 400;     // for an index built with no documents

    double length = 0; // 0: unknown or unreadable, and the index is rebuilt
    std::size_t sampled = 0;

    static ReferenceLength of(const std::vector<double> &sampleLengths);
    static ReferenceLength parse(const std::string &text);
    std::string serialize() const;
    // Measured on fewer documents than the index now holds by far (a root that started
    // empty or small): a rebuild measures it again, cheap at that size.
    bool outgrown(std::size_t documents) const;
};

// The scoring constants as text, part of the index signature: an index whose impacts
// were computed with others is rebuilt.
std::string impactSignature();

// Metadata key of an index's reference length (ReferenceLength::serialize).

class ImpactWeight : public Xapian::Weight {
public:
    ImpactWeight();
    std::string name() const override;
    ImpactWeight *clone() const override;
    void init(double factor) override;
    double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                       Xapian::termcount uniqueTerms) const override;
    double get_maxpart() const override;
    double get_sumextra(Xapian::termcount doclen, Xapian::termcount uniqueTerms) const override;
    double get_maxextra() const override;

    // What init computes (a matcher outside Xapian multiplies it by the stored impact):
    // the weight per unit of impact of a term in `termfreq` of `collectionSize` documents.
    static double unitWeight(double termfreq, double collectionSize, double wqf, double factor);

private:
    double termWeight_ = 0; // idf x query-frequency factor x (k1 + 1) / kImpactScale
};

} // namespace kb::search
