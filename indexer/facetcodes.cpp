#include "indexer/facetcodes.h"

#include <algorithm>

namespace kb::search {

FacetCodes::FacetCodes(FacetCodes &&other) noexcept
{
    std::lock_guard lock(other.mutex_);
    entries_ = std::move(other.entries_);
    codes_ = std::move(other.codes_);
}

FacetCodes &FacetCodes::operator=(FacetCodes &&other) noexcept
{
    if (this != &other) {
        std::scoped_lock lock(mutex_, other.mutex_);
        entries_ = std::move(other.entries_);
        codes_ = std::move(other.codes_);
    }
    return *this;
}

std::string FacetCodes::encode(std::string_view packed)
{
    std::vector<std::uint32_t> found;
    std::lock_guard lock(mutex_);
    while (!packed.empty()) {
        const std::size_t end = packed.find('\x1e');
        if (end == std::string_view::npos)
            break;
        std::string entry(packed.substr(0, end));
        packed.remove_prefix(end + 1);
        auto it = codes_.find(entry);
        std::uint32_t code;
        if (it == codes_.end()) {
            code = std::uint32_t(entries_.size());
            entries_.push_back(entry);
            codes_.emplace(std::move(entry), code);
        } else {
            code = it->second;
        }
        found.push_back(code);
    }
    // Each code once: a record that repeats a list item still counts once in its facet.
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::string out;
    for (std::uint32_t code : found)
        do {
            unsigned char b = code & 0x7F;
            code >>= 7;
            out += char(b | (code ? 0x80 : 0));
        } while (code);
    return out;
}

std::size_t FacetCodes::size() const
{
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::pair<std::string, std::string> FacetCodes::entry(std::uint32_t code) const
{
    std::lock_guard lock(mutex_);
    if (code >= entries_.size())
        return {};
    const std::string &e = entries_[code];
    const std::size_t sep = e.find('\x1f');
    if (sep == std::string::npos)
        return {e, {}};
    return {e.substr(0, sep), e.substr(sep + 1)};
}

std::string FacetCodes::serialize() const
{
    std::lock_guard lock(mutex_);
    std::string out;
    for (const std::string &e : entries_)
        out += e + '\n';
    return out;
}

FacetCodes FacetCodes::deserialize(std::string_view text)
{
    FacetCodes f;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string entry(text.substr(0, end));
        f.codes_.emplace(entry, std::uint32_t(f.entries_.size()));
        f.entries_.push_back(std::move(entry));
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
    return f;
}

} // namespace kb::search
