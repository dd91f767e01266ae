#include "indexer/lexicon.h"

#include "core/vocabulary.h"
#include "indexer/textanalysis.h"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace kb::search {

namespace {

constexpr int kStopGroup = -2;

// Question words and particles that carry no topic. Kept short on purpose: anything
// with meaning in this domain (需要, 问题, 客户) stays searchable.
constexpr std::array kCjkStops = {"怎么办", "怎么样", "怎么", "怎样", "如何",   "什么",
                                  "为什么", "哪些",   "哪个", "是否", "有没有", "有哪些",
                                  "吗",     "呢",     "吧",   "的",   "了",     "请问"};

constexpr std::array kLatinStops = {
    "a",    "an",    "and",   "are",   "as",   "at",    "be",    "by",    "can",  "could", "did",
    "do",   "does",  "for",   "from",  "had",  "has",   "have",  "how",   "i",    "if",    "in",
    "into", "is",    "it",    "its",   "me",   "my",    "of",    "on",    "or",   "our",   "should",
    "so",   "that",  "the",   "their", "them", "then",  "there", "these", "they", "this",  "to",
    "us",   "was",   "we",    "were",  "what", "when",  "where", "which", "who",  "why",   "will",
    "with", "would", "you",   "your",  "up",   "about", "any",   "some",  "also", "just",  "very",
    "more", "most",  "other", "such",  "than", "too",   "only",  "each",  "all",  "not",   "out"};

} // namespace

bool Lexicon::isStopWord(std::string_view w)
{
    return std::find(kLatinStops.begin(), kLatinStops.end(), w) != kLatinStops.end();
}

bool Lexicon::isFunctionChar(std::uint32_t cp)
{
    static const std::u32string chars = U"和与及或在对把被从向给跟让是也都就";
    return chars.find(char32_t(cp)) != std::u32string::npos;
}

std::vector<SynonymGroup> synonymGroups(const Vocabularies &vocab)
{
    std::vector<SynonymGroup> groups;
    for (const std::string &name : vocab.names()) {
        for (const Term &term : *vocab.get(name)) {
            SynonymGroup g;
            g.source = name + "/" + term.id;
            std::vector<std::string> raw{term.zh, term.en};
            raw.insert(raw.end(), term.aliases.begin(), term.aliases.end());
            for (const std::string &form : raw) {
                std::string folded = foldText(form);
                if (!folded.empty() &&
                    std::find(g.forms.begin(), g.forms.end(), folded) == g.forms.end())
                    g.forms.push_back(folded);
            }
            if (g.forms.size() >= 2) // else nothing to expand to
                groups.push_back(std::move(g));
        }
    }
    return groups;
}

void Lexicon::build(const Vocabularies &vocab)
{
    groups_ = synonymGroups(vocab);
    latin_.clear();
    cjk_.clear();
    for (const char *stop : kCjkStops)
        cjk_.emplace(stop, kStopGroup);
    for (int index = 0; index < int(groups_.size()); ++index) {
        for (const std::string &form : groups_[index].forms) {
            std::vector<Token> tokens = tokenize(form);
            if (tokens.size() == 1 && tokens[0].kind == TokenKind::Cjk) {
                if (tokens[0].chars.size() >= 2) {
                    cjk_.emplace(tokens[0].text, index); // first entry wins
                    maxCjkChars_ = std::max(maxCjkChars_, tokens[0].chars.size());
                }
            } else if (!tokens.empty() &&
                       std::all_of(tokens.begin(), tokens.end(),
                                   [](const Token &t) { return t.kind == TokenKind::Word; })) {
                std::string key;
                for (const Token &t : tokens)
                    key += (key.empty() ? "" : " ") + t.text;
                latin_.emplace(key, index);
                maxLatinWords_ = std::max(maxLatinWords_, int(tokens.size()));
            }
        }
    }
}

int Lexicon::latinGroup(const std::string &foldedWords) const
{
    auto it = latin_.find(foldedWords);
    return it == latin_.end() ? -1 : it->second;
}

std::vector<CjkSegment> Lexicon::segment(const std::vector<std::uint32_t> &chars,
                                         bool *droppedStops) const
{
    std::vector<CjkSegment> out;
    // Measurement switch for bench/RESULTS.md: plain n-grams, no dictionary.
    static const bool noDictionary = std::getenv("KB_EVAL_NGRAM_ONLY") != nullptr;
    if (noDictionary) {
        auto it = cjk_.find(cjkTerm(chars, 0, chars.size()));
        out.push_back({chars, it != cjk_.end() && it->second >= 0 ? it->second : -1});
        return out;
    }
    CjkSegment pending;
    auto flush = [&] {
        if (!pending.chars.empty())
            out.push_back(std::move(pending));
        pending = CjkSegment{};
    };
    for (std::size_t i = 0; i < chars.size();) {
        int found = -1;
        std::size_t foundLen = 0;
        const std::size_t longest =
            std::min<std::size_t>(std::max<std::size_t>(maxCjkChars_, 3), chars.size() - i);
        for (std::size_t len = longest; len >= 1 && found == -1; --len) {
            auto it = cjk_.find(cjkTerm(chars, i, len));
            if (it != cjk_.end()) {
                found = it->second;
                foundLen = len;
            }
        }
        if (foundLen == 0) {
            pending.chars.push_back(chars[i++]);
            continue;
        }
        flush();
        if (found == kStopGroup && droppedStops)
            *droppedStops = true;
        if (found != kStopGroup)
            out.push_back(CjkSegment{{chars.begin() + i, chars.begin() + i + foundLen}, found});
        i += foundLen;
    }
    flush();
    return out;
}

} // namespace kb::search
