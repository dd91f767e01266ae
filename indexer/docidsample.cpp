#include "docidsample.h"

#include <cstdint>

namespace kb::search {

DocidSample::DocidSample(unsigned oneIn) : oneIn_(oneIn < 1 ? 1 : oneIn) {}

// The sampled docid of block k, which holds docids k*n+1 .. (k+1)*n: one per block, at an
// offset drawn from a hash of k, so each docid has the same 1-in-n chance and no stride in
// how files were numbered can line up with the sample.
Xapian::docid DocidSample::pick(Xapian::docid block) const
{
    // MurmurHash3's finaliser: every input bit affects every output bit.
    std::uint32_t h = block;
    h ^= h >> 16;
    h *= 0x85ebca6bU;
    h ^= h >> 13;
    h *= 0xc2b2ae35U;
    h ^= h >> 16;
    return block * oneIn_ + 1 + h % oneIn_;
}

void DocidSample::init(const Xapian::Database &db)
{
    current_ = 0;
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
    const Xapian::docid block = (docid - 1) / oneIn_;
    current_ = pick(block);
    if (current_ < docid)
        current_ = pick(block + 1);
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
