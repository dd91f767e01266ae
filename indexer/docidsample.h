#pragma once

#include <xapian.h>

namespace kb::search {

// Matches a pseudo-random 1-in-n subset of the docids: in each block of kRun * n docids,
// kRun consecutive ones at an offset drawn from a hash of the block. Filtered by it, a
// query visits only the sampled documents, and reads them in runs: Xapian decodes a
// posting list sequentially within a chunk, so one skip per run instead of one per
// sampled document, and runs far enough apart to skip whole chunks, make counting 2,000
// of 80,000 matches three times cheaper (0.77 -> 0.26 ms, bench/RESULTS.md).
// A run is as good as kRun scattered docids because a rebuild numbers the files in a
// shuffled order (syncIndex), never folder by folder.
class DocidSample : public Xapian::PostingSource {
public:
    explicit DocidSample(unsigned oneIn);
    static constexpr Xapian::docid kRun = 256;

    // How many of the docids 1..last the sample holds: the scale from matches in the
    // sample to matches in all (the last block may hold only part of its run, or none).
    Xapian::docid sampledDocids(Xapian::docid last) const;
    // The first docid from `docid` on that is in the sample (for matches counted outside
    // Xapian, which skip to it).
    Xapian::docid firstFrom(Xapian::docid docid) const;

    void init(const Xapian::Database &db) override;
    Xapian::doccount get_termfreq_min() const override;
    Xapian::doccount get_termfreq_est() const override;
    Xapian::doccount get_termfreq_max() const override;
    void next(double minWeight) override;
    void skip_to(Xapian::docid docid, double minWeight) override;
    bool at_end() const override;
    Xapian::docid get_docid() const override;
    DocidSample *clone() const override;

private:
    Xapian::docid runStart(Xapian::docid block) const; // first docid of the block's run

    unsigned oneIn_;
    Xapian::docid current_ = 0, last_ = 0;
    Xapian::docid runBegin_ = 0; // first docid of the run current_ is in (0: none yet)
    Xapian::doccount count_ = 0;
};

} // namespace kb::search
