#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace kb::search {

class ConceptTerms;

// Turns text into the terms of one Xapian document. Latin words get a positional
// unstemmed term and an unpositioned "Z" stem (English, as Xapian's STEM_SOME); CJK runs
// get positional bigrams and unpositioned unigrams, never stems (stemming CJK doubles the
// index for nothing). A CJK run of n characters takes n-1 positions, so phrases made of
// bigrams and words line up across script changes. Free text (no prefix) also gets the
// concept terms of glossary entries (see ConceptTerms).
class TermWriter {
public:
    // `concepts`, when given, adds the concept terms of glossary forms in free text.
    TermWriter(Xapian::Document &doc, const Xapian::Stem &stem,
               const ConceptTerms *concepts = nullptr)
        : doc_(doc), stem_(stem), concepts_(concepts)
    {
    }

    // Adds text; `wdf` weights it (titles count more), `prefix` puts the positional
    // terms in a field of their own ("S" for titles) instead of the free text.
    void addText(std::string_view text, unsigned wdf = 1, const std::string &prefix = {});
    // Leaves a gap so phrases never span two fields.
    void gap() { position_ += 100; }

private:
    Xapian::Document &doc_;
    const Xapian::Stem &stem_;
    const ConceptTerms *concepts_;
    Xapian::termpos position_ = 1;
};

// The "Z" stem term of a folded Latin word, or "" when the word is not stemmed (digits).
std::string stemTerm(const Xapian::Stem &stem, const std::string &word);

} // namespace kb::search
