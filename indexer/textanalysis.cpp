#include "indexer/textanalysis.h"

#include <xapian.h>

#include <algorithm>
#include <iterator>

namespace kb::search {

namespace {

struct CharPair {
    std::uint32_t from, to;
};

// Traditional -> simplified, generated at build time from OpenCC's t2s (see tools/).
constexpr CharPair kT2s[] = {
#include "t2s_table.inc"
};

// One bit per BMP code point that has a simplified form. Most characters of real text
// have none (they are simplified already, or not Chinese), and a bit test spares them the
// binary search, which was two thirds of foldChar's time in a kb serve profile.
struct T2sBitmap {
    std::uint64_t bits[0x10000 / 64] = {};
    T2sBitmap()
    {
        for (const CharPair &p : kT2s)
            if (p.from < 0x10000)
                bits[p.from / 64] |= std::uint64_t(1) << (p.from % 64);
    }
    bool mayMap(std::uint32_t cp) const
    {
        return cp >= 0x10000 || (bits[cp / 64] >> (cp % 64) & 1);
    }
};

std::uint32_t toSimplified(std::uint32_t cp)
{
    static const T2sBitmap bitmap;
    if (!bitmap.mayMap(cp))
        return cp;
    auto it = std::lower_bound(std::begin(kT2s), std::end(kT2s), cp,
                               [](const CharPair &p, std::uint32_t c) { return p.from < c; });
    return it != std::end(kT2s) && it->from == cp ? it->to : cp;
}

bool isWordChar(std::uint32_t cp)
{
    if (cp < 0x80) // Xapian's letters, numbers and connector punctuation, without a call
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
               cp == '_';
    return Xapian::Unicode::is_wordchar(cp);
}

} // namespace

std::uint32_t foldNonAscii(std::uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E) // full-width ASCII
        cp -= 0xFEE0;
    else if (cp == 0x3000)
        return ' ';
    if (isCjk(cp))
        return toSimplified(cp);
    return Xapian::Unicode::tolower(cp);
}

std::string foldText(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();)
        appendUtf8(out, foldChar(decodeUtf8(text, i)));
    return out;
}

void forEachToken(std::string_view text, const std::function<void(const Token &)> &fn, bool cjkText)
{
    Token current;
    bool open = false;
    auto finish = [&](std::size_t at) {
        if (open) {
            current.end = at;
            if (current.kind == TokenKind::Cjk)
                current.offsets.push_back(at);
            fn(current);
            current.text.clear(); // keeps the buffers: no allocation per token
            current.chars.clear();
            current.offsets.clear();
            open = false;
        }
    };
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const std::uint32_t cp = foldChar(decodeUtf8(text, i));
        const bool cjk = isCjk(cp);
        if (!cjk && !isWordChar(cp)) {
            finish(start);
            continue;
        }
        const TokenKind kind = cjk ? TokenKind::Cjk : TokenKind::Word;
        if (open && current.kind != kind)
            finish(start);
        if (!open) {
            current.kind = kind;
            current.begin = start;
            open = true;
        }
        if (!cjk || cjkText)
            appendUtf8(current.text, cp);
        if (cjk) {
            current.chars.push_back(cp);
            current.offsets.push_back(start);
        }
    }
    finish(text.size());
}

std::vector<Token> tokenize(std::string_view text)
{
    std::vector<Token> tokens;
    forEachToken(text, [&](const Token &t) { tokens.push_back(t); });
    return tokens;
}

std::string cjkTerm(const std::vector<std::uint32_t> &chars, std::size_t from, std::size_t n)
{
    std::string term;
    for (std::size_t k = from; k < from + n && k < chars.size(); ++k)
        appendUtf8(term, chars[k]);
    return term;
}

} // namespace kb::search
