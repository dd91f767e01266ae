#include "indexer/facetcolumn.h"

#include "indexer/facetcodes.h"
#include "indexer/indexschema.h"

#include <xapian.h>

#include <mutex>

namespace kb::search {

FacetColumn::FacetColumn(const Xapian::Database &db)
{
    const Xapian::docid last = db.get_lastdocid();
    starts_.assign(std::size_t(last) + 2, 0);
    Xapian::docid filled = 0; // starts_ is final up to and including this docid
    for (auto v = db.valuestream_begin(kSlotFacets); v != db.valuestream_end(kSlotFacets); ++v) {
        const Xapian::docid did = v.get_docid();
        if (did > last)
            break;
        const auto here = std::uint32_t(codes_.size());
        for (Xapian::docid d = filled + 1; d <= did; ++d)
            starts_[d] = here;
        FacetCodes::forEachCode(*v, [this](std::uint32_t code) { codes_.push_back(code); });
        filled = did;
    }
    for (Xapian::docid d = filled + 1; d <= last + 1; ++d)
        starts_[d] = std::uint32_t(codes_.size());
    codes_.shrink_to_fit();
}

std::shared_ptr<const FacetColumn> FacetColumn::of(const Xapian::Database &db,
                                                   const std::string &version)
{
    // Only the newest revision is kept: older searchers reopen onto it on their next search.
    static std::mutex mutex;
    static std::string lastVersion;
    static std::shared_ptr<const FacetColumn> last;
    std::lock_guard lock(mutex);
    if (version != lastVersion || !last) {
        last = std::shared_ptr<const FacetColumn>(new FacetColumn(db));
        lastVersion = version;
    }
    return last;
}

} // namespace kb::search
