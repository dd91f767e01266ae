#include "indexer/storeddata.h"

#include <cstdint>

namespace kb::search {

namespace {

void putLength(std::string &out, std::size_t n)
{
    // Variable-length, 7 bits per byte.
    do {
        unsigned char b = n & 0x7F;
        n >>= 7;
        out += char(b | (n ? 0x80 : 0));
    } while (n);
}

bool getLength(std::string_view data, std::size_t &pos, std::size_t &n)
{
    n = 0;
    for (int shift = 0; pos < data.size() && shift < 63; shift += 7) {
        const auto b = static_cast<unsigned char>(data[pos++]);
        n |= std::size_t(b & 0x7F) << shift;
        if (!(b & 0x80))
            return n <= data.size() - pos;
    }
    return false;
}

} // namespace

void StoredData::set(std::string key, std::string value)
{
    entries.emplace_back(std::move(key), std::move(value));
}

std::string StoredData::get(std::string_view key) const
{
    for (const auto &[k, v] : entries)
        if (k == key)
            return v;
    return {};
}

std::string StoredData::pack() const
{
    std::string out;
    for (const auto &[k, v] : entries) {
        putLength(out, k.size());
        out += k;
        putLength(out, v.size());
        out += v;
    }
    return out;
}

StoredData StoredData::unpack(std::string_view data)
{
    StoredData d;
    std::size_t pos = 0;
    while (pos < data.size()) {
        std::size_t kn = 0, vn = 0;
        if (!getLength(data, pos, kn))
            break;
        std::string key(data.substr(pos, kn));
        pos += kn;
        if (!getLength(data, pos, vn))
            break;
        d.entries.emplace_back(std::move(key), std::string(data.substr(pos, vn)));
        pos += vn;
    }
    return d;
}

} // namespace kb::search
