#include "indexer/snippet.h"

#include "indexer/termwriter.h"
#include "indexer/textanalysis.h"

#include <xapian.h>

#include <algorithm>
#include <set>

namespace kb::search {

namespace {

struct Match {
    std::size_t begin, end; // bytes
    int term;               // index into the highlight list
};

std::vector<Match> findMatches(std::string_view text, const std::vector<std::string> &highlight)
{
    thread_local const Xapian::Stem stem("english");
    std::vector<Match> out;
    std::vector<std::vector<std::uint32_t>> cjk(highlight.size());
    std::vector<std::string> stems(highlight.size());
    for (std::size_t h = 0; h < highlight.size(); ++h) {
        for (const Token &t : tokenize(highlight[h])) {
            if (t.kind == TokenKind::Cjk)
                cjk[h].insert(cjk[h].end(), t.chars.begin(), t.chars.end());
            else
                stems[h] = stemTerm(stem, t.text).empty() ? t.text : stemTerm(stem, t.text);
        }
    }
    // Only words starting like some highlighted word can stem to its stem (English stems,
    // "Z" + stem, keep the word's first letter): the rest are not stemmed at all.
    std::string firstBytes;
    for (const std::string &s : stems)
        if (!s.empty())
            firstBytes += s.size() > 1 && s[0] == 'Z' ? s[1] : s[0];
    forEachToken(
        text,
        [&](const Token &t) {
            if (t.kind == TokenKind::Word) {
                if (firstBytes.find(t.text[0]) == std::string::npos)
                    return;
                const std::string z = stemTerm(stem, t.text);
                for (std::size_t h = 0; h < highlight.size(); ++h)
                    if (!stems[h].empty() && (stems[h] == z || stems[h] == t.text)) {
                        out.push_back({t.begin, t.end, int(h)});
                        break;
                    }
                return;
            }
            for (std::size_t h = 0; h < highlight.size(); ++h) {
                const auto &needle = cjk[h];
                if (needle.empty() || needle.size() > t.chars.size())
                    continue;
                for (auto it = t.chars.begin(); (it = std::search(it, t.chars.end(), needle.begin(),
                                                                  needle.end())) != t.chars.end();
                     ++it) {
                    const std::size_t i = std::size_t(it - t.chars.begin());
                    out.push_back({t.offsets[i], t.offsets[i + needle.size()], int(h)});
                }
            }
        },
        /*cjkText=*/false);
    std::sort(out.begin(), out.end(),
              [](const Match &a, const Match &b) { return a.begin < b.begin; });
    // Merge overlapping and touching matches ("割" "接" -> one mark).
    std::vector<Match> merged;
    for (const Match &m : out) {
        if (!merged.empty() && m.begin <= merged.back().end)
            merged.back().end = std::max(merged.back().end, m.end);
        else
            merged.push_back(m);
    }
    return merged;
}

// Byte offset `chars` code points after `from`, or the end.
std::size_t advance(std::string_view text, std::size_t from, std::size_t chars)
{
    while (from < text.size() && chars > 0) {
        decodeUtf8(text, from);
        --chars;
    }
    return from;
}

std::size_t backUp(std::string_view text, std::size_t from, std::size_t chars)
{
    while (from > 0 && chars > 0) {
        --from;
        while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80)
            --from;
        --chars;
    }
    return from;
}

void appendClean(std::string &out, std::string_view piece)
{
    for (std::size_t i = 0; i < piece.size();) {
        const std::size_t start = i;
        const std::uint32_t cp = decodeUtf8(piece, i);
        if (cp == '\n' || cp == '\r' || cp == '\t')
            out += ' ';
        else if (cp == 0x27E6)
            out += "[";
        else if (cp == 0x27E7)
            out += "]";
        else if (cp == 0xFFFD && i - start == 1)
            continue;
        else
            out.append(piece.substr(start, i - start));
    }
}

// The end of a scan chunk near `at`: after a line break or a space, so no word or run of
// Chinese is cut in two (or the text's end).
std::size_t chunkEnd(std::string_view text, std::size_t at)
{
    if (at >= text.size())
        return text.size();
    const std::size_t line = text.find('\n', at);
    if (line != std::string_view::npos && line - at < 4096)
        return line + 1;
    const std::size_t space = text.find(' ', at);
    return space == std::string_view::npos ? text.size() : space + 1;
}

// The matches a snippet is chosen from. A long document (a man page runs to 300 KB) is
// read in chunks, and reading stops once every highlighted term has been seen, or once
// some have and 4 KB are read (or 128 KB without a match: the start then): a window from
// there is as good to a reader, and the ten hits of a page no longer cost a tokenisation
// of every byte of every hit.
std::vector<Match> findMatchesEarly(std::string_view text,
                                    const std::vector<std::string> &highlight)
{
    constexpr std::size_t kChunk = 4 * 1024, kEnough = 4 * 1024, kGiveUp = 128 * 1024;
    std::vector<Match> out;
    std::set<int> seen;
    for (std::size_t from = 0; from < text.size();) {
        const std::size_t to = chunkEnd(text, from + kChunk);
        for (Match m : findMatches(text.substr(from, to - from), highlight)) {
            m.begin += from;
            m.end += from;
            seen.insert(m.term);
            out.push_back(m);
        }
        from = to;
        if (seen.size() == highlight.size() || (!out.empty() && from >= kEnough) ||
            from >= kGiveUp) // then the snippet is the document's start
            break;
    }
    return out;
}

} // namespace

std::string makeSnippet(std::string_view text, const std::vector<std::string> &highlight,
                        std::size_t maxChars)
{
    const std::vector<Match> matches = findMatchesEarly(text, highlight);
    std::size_t start = 0;
    if (!matches.empty()) {
        // The window starting a little before some match that covers most distinct terms.
        std::size_t best = 0;
        int bestScore = -1;
        for (std::size_t i = 0; i < matches.size(); ++i) {
            const std::size_t windowEnd = advance(text, matches[i].begin, maxChars * 3 / 4);
            std::set<int> terms;
            int count = 0;
            for (std::size_t j = i; j < matches.size() && matches[j].end <= windowEnd; ++j) {
                terms.insert(matches[j].term);
                ++count;
            }
            const int score = int(terms.size()) * 100 + count;
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        start = backUp(text, matches[best].begin, maxChars / 4);
        // Prefer to start at a line start when one is near.
        const std::size_t line = text.rfind('\n', matches[best].begin);
        if (line != std::string_view::npos && line + 1 >= start)
            start = line + 1;
    }
    const std::size_t end = advance(text, start, maxChars);
    std::string out;
    if (start > 0)
        out += "…";
    std::size_t pos = start;
    for (const Match &m : matches) {
        if (m.end <= start || m.begin >= end)
            continue;
        const std::size_t b = std::max(m.begin, start), e = std::min(m.end, end);
        appendClean(out, text.substr(pos, b - pos));
        out += kMarkOpen;
        appendClean(out, text.substr(b, e - b));
        out += kMarkClose;
        pos = e;
    }
    appendClean(out, text.substr(pos, end - pos));
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    if (end < text.size())
        out += "…";
    return out;
}

} // namespace kb::search
