#pragma once

#include "indexer/utf8.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

// The one analysis both the indexer and the query side use, so the two can never drift:
// text is folded character by character (case, full-width forms, traditional Chinese to
// simplified) and split into Latin-script words and runs of CJK characters.

enum class TokenKind { Word, Cjk };

struct Token {
    TokenKind kind = TokenKind::Word;
    std::string text;                 // folded UTF-8: "cutover", "割接方案"
    std::vector<std::uint32_t> chars; // folded code points (CJK runs only)
    std::vector<std::size_t> offsets; // byte offset of each char in the source, plus the end
    std::size_t begin = 0, end = 0;   // byte range in the source text
};

// Inline, as is foldChar's ASCII case: both run for every character analysed.
inline bool isCjk(std::uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0x3100 && cp <= 0x312F) || (cp >= 0x3190 && cp <= 0x31FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF);
}
std::uint32_t foldNonAscii(std::uint32_t cp);
// Case, width and traditional->simplified folding of one code point.
inline std::uint32_t foldChar(std::uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return foldNonAscii(cp);
}
std::string foldText(std::string_view text);

// Splits text into tokens in order. Words are maximal runs of letters and digits of
// non-CJK scripts; CJK runs are maximal runs of CJK characters.
std::vector<Token> tokenize(std::string_view text);
// The same tokens handed to `fn` one at a time, in one reused Token (copy what you keep):
// no vector of tokens and no allocation per token, for text read once (snippets).
// Without `cjkText` the text of CJK runs is left empty (their chars are all a snippet
// needs).
void forEachToken(std::string_view text, const std::function<void(const Token &)> &fn,
                  bool cjkText = true);

// Term strings shared by index and query.
std::string cjkTerm(const std::vector<std::uint32_t> &chars, std::size_t from, std::size_t n);
inline constexpr std::size_t kMaxTermBytes = 240;

} // namespace kb::search
