#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kb::search {

// UTF-8 encoding and decoding, header-only so the build-time table generator (which
// cannot link the library its output is compiled into) shares it.

inline void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
        return;
    }
    // One append, not one push_back a byte: this runs for every character analysed.
    char bytes[4];
    std::size_t n = 0;
    if (cp < 0x800) {
        bytes[n++] = char(0xC0 | (cp >> 6));
    } else if (cp < 0x10000) {
        bytes[n++] = char(0xE0 | (cp >> 12));
        bytes[n++] = char(0x80 | ((cp >> 6) & 0x3F));
    } else {
        bytes[n++] = char(0xF0 | (cp >> 18));
        bytes[n++] = char(0x80 | ((cp >> 12) & 0x3F));
        bytes[n++] = char(0x80 | ((cp >> 6) & 0x3F));
    }
    bytes[n++] = char(0x80 | (cp & 0x3F));
    out.append(bytes, n);
}

// Decodes the code point at `i`, advancing `i`; invalid bytes read as U+FFFD.
inline std::uint32_t decodeUtf8(std::string_view s, std::size_t &i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        ++i;
        return c;
    }
    const int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + std::size_t(n) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    std::uint32_t cp = n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + std::size_t(k)]);
        if ((cc & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (cc & 0x3F);
    }
    i += std::size_t(n);
    return cp;
}

} // namespace kb::search
