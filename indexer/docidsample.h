#pragma once

#include <xapian.h>

namespace kb::search {

// Matches a pseudo-random 1-in-n subset of the docids, one in each run of n. Filtered by
// it, a query visits only the sampled documents (Xapian skips the others through
// skip_to), so counting matches and facets over a sample costs about 1/n of counting them
// all.
class DocidSample : public Xapian::PostingSource {
public:
    explicit DocidSample(unsigned oneIn);

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
    Xapian::docid pick(Xapian::docid block) const;

    unsigned oneIn_;
    Xapian::docid current_ = 0, last_ = 0;
    Xapian::doccount count_ = 0;
};

} // namespace kb::search
