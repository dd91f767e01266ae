#include "indexer/docidsample.h"

#include <algorithm>
#include <cstdint>

namespace kb::search {

DocidSample::DocidSample(unsigned oneIn) : oneIn_(oneIn < 1 ? 1 : oneIn) {}

// Block k holds docids k*kRun*n+1 .. (k+1)*kRun*n; its run starts at an offset drawn
// from a hash of k, so each docid has the same 1-in-n chance and no stride in how files
// were numbered can line up with the sample.
Xapian::docid DocidSample::runStart(Xapian::docid block) const
{
    // MurmurHash3's finaliser: every input bit affects every output bit.
    std::uint32_t h = block;
    h ^= h >> 16;
    h *= 0x85ebca6bU;
    h ^= h >> 13;
    h *= 0xc2b2ae35U;
    h ^= h >> 16;
    const Xapian::docid blockSize = kRun * oneIn_;
    return block * blockSize + 1 + h % (blockSize - kRun + 1);
}

Xapian::docid DocidSample::sampledDocids(Xapian::docid last) const
{
    if (oneIn_ == 1)
        return last;
    Xapian::docid covered = 0;
    for (Xapian::docid block = 0; block * kRun * oneIn_ < last; ++block) {
        const Xapian::docid start = runStart(block);
        if (start <= last)
            covered += std::min(start + kRun - 1, last) - start + 1;
    }
    return covered;
}

Xapian::docid DocidSample::firstFrom(Xapian::docid docid) const
{
    if (oneIn_ == 1)
        return docid;
    const Xapian::docid block = (docid - 1) / (kRun * oneIn_);
    const Xapian::docid start = runStart(block);
    if (docid < start)
        return start;
    return docid < start + kRun ? docid : runStart(block + 1);
}

void DocidSample::init(const Xapian::Database &db)
{
    current_ = runBegin_ = 0;
    last_ = db.get_lastdocid();
    count_ = db.get_doccount();
}

Xapian::doccount DocidSample::get_termfreq_min() const
{
    return 0;
}

Xapian::doccount DocidSample::get_termfreq_est() const
{
    return count_ / oneIn_;
}

Xapian::doccount DocidSample::get_termfreq_max() const
{
    return count_;
}

void DocidSample::next(double minWeight)
{
    skip_to(current_ + 1, minWeight);
}

void DocidSample::skip_to(Xapian::docid docid, double)
{
    if (docid <= current_)
        return;
    // Within the run already found (next() through a run): no hash to recompute.
    if (oneIn_ == 1 || (runBegin_ != 0 && docid >= runBegin_ && docid < runBegin_ + kRun)) {
        current_ = docid;
        return;
    }
    current_ = firstFrom(docid);
    runBegin_ = current_ == docid ? runStart((docid - 1) / (kRun * oneIn_)) : current_;
}

bool DocidSample::at_end() const
{
    return current_ > last_;
}

Xapian::docid DocidSample::get_docid() const
{
    return current_;
}

DocidSample *DocidSample::clone() const
{
    return new DocidSample(oneIn_);
}

} // namespace kb::search
