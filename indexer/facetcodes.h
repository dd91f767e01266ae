#pragma once

#include "indexer/indexformat.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kb::search {

// Facet values ("touchpoint" = "tp07-install-cutover") numbered once per index, so a
// document's facets are a few varint codes and counting them over 100k matches is array
// increments, not string hashing. The table lives in the index metadata and only grows;
// codes never change meaning. Thread-safe: shard writers share one table.
class FacetCodes {
public:
    // "name\x1fvalue\x1e..." (as the document builder packs them) -> varint codes.
    std::string encode(std::string_view packed);
    std::size_t size() const;
    std::pair<std::string, std::string> entry(std::uint32_t code) const;

    std::string serialize() const;
    static FacetCodes deserialize(std::string_view text);

    FacetCodes() = default;
    FacetCodes(FacetCodes &&other) noexcept;
    FacetCodes &operator=(FacetCodes &&other) noexcept;

    // Calls fn(code) for each code in an encoded value.
    template <class Fn> static void forEachCode(std::string_view encoded, Fn fn)
    {
        std::uint32_t code = 0;
        int shift = 0;
        for (unsigned char b : encoded) {
            code |= std::uint32_t(b & 0x7F) << shift;
            if (b & 0x80) {
                shift += 7;
                continue;
            }
            fn(code);
            code = 0;
            shift = 0;
        }
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> entries_; // "name\x1fvalue", by code
    std::unordered_map<std::string, std::uint32_t> codes_;
};

// Index metadata key of the table.

} // namespace kb::search
