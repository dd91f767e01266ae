#include "displaytext.h"

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
