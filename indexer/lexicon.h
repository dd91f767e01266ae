#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kb {
class Vocabularies;
}

namespace kb::search {

class Dictionary;

// Every form of one vocabulary entry (zh, en, aliases), folded: a synonym group.
struct SynonymGroup {
    std::string source; // "glossary/g012"
    std::vector<std::string> forms;
};

// The entries of every vocabulary that have more than one form.
std::vector<SynonymGroup> synonymGroups(const Vocabularies &vocab);

// A piece of a CJK query run after dictionary segmentation.
struct CjkSegment {
    std::vector<std::uint32_t> chars;
    int group = -1; // synonym group, or -1 for text outside the dictionary
};

// Query-side knowledge: glossary and vocabulary synonyms in both directions and across
// languages, dictionary segmentation of CJK runs, and stop words. Xapian 1.4 never
// applies synonyms to CJK terms, so kb expands them itself (see querybuilder).
class Lexicon {
public:
    void build(const Vocabularies &vocab);

    const std::vector<SynonymGroup> &groups() const { return groups_; }
    // The group of a folded Latin phrase ("site survey"), or -1.
    int latinGroup(const std::string &foldedWords) const;
    int maxLatinWords() const { return maxLatinWords_; }
    // Forward maximum matching against the dictionary; stop phrases are dropped.
    std::vector<CjkSegment> segment(const std::vector<std::uint32_t> &chars,
                                    bool *droppedStops = nullptr) const;
    static bool isStopWord(std::string_view foldedWord);
    // Conjunctions and prepositions that mean nothing when they stand alone between
    // dictionary words ("铁路和客户").
    static bool isFunctionChar(std::uint32_t cp);

    // The general dictionary for words the glossary lacks (may be absent: nullptr).
    void setDictionary(const Dictionary *d) { dictionary_ = d; }
    const Dictionary *dictionary() const { return dictionary_; }

private:
    std::vector<SynonymGroup> groups_;
    std::map<std::string, int, std::less<>> latin_; // folded words joined by ' '
    std::map<std::string, int, std::less<>> cjk_;   // folded CJK form
    std::size_t maxCjkChars_ = 0;
    int maxLatinWords_ = 1;
    const Dictionary *dictionary_ = nullptr;
};

} // namespace kb::search
