#include "core/displaytext.h"

namespace kb {
namespace {

void escapeByte(unsigned char c, std::string &out)
{
    static const char *hex = "0123456789abcdef";
    switch (c) {
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    default:
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
}

std::string display(std::string_view text, bool keepLines)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) {
            if (keepLines && (c == '\n' || c == '\t'))
                out += static_cast<char>(c);
            else
                escapeByte(c, out);
            continue;
        }
        // C1 controls (U+0080..U+009F) are two bytes in UTF-8: C2 80..C2 9F. Some
        // terminals obey them (CSI is U+009B).
        if (c == 0xC2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F) {
                out += "\\u00";
                out += "0123456789abcdef"[next >> 4];
                out += "0123456789abcdef"[next & 0xF];
                ++i;
                continue;
            }
        }
        // Bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) make a
        // line read differently from what it holds.
        if (c == 0xE2 && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            const auto b2 = static_cast<unsigned char>(text[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) ||
                (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
                const unsigned cp = 0x2000u | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
                out += "\\u";
                for (int shift = 12; shift >= 0; shift -= 4)
                    out += "0123456789abcdef"[(cp >> shift) & 0xF];
                i += 2;
                continue;
            }
        }
        out += static_cast<char>(c);
    }
    return out;
}

} // namespace

std::string displayLine(std::string_view text)
{
    return display(text, false);
}

std::string displayBlock(std::string_view text)
{
    return display(text, true);
}

} // namespace kb
