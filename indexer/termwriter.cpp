#include "indexer/termwriter.h"

#include "indexer/conceptterms.h"
#include "indexer/textanalysis.h"

namespace kb::search {

std::string stemTerm(const Xapian::Stem &stem, const std::string &word)
{
    if (word.empty() || (word[0] >= '0' && word[0] <= '9'))
        return {};
    return prefix::kStem + stem(word);
}

void TermWriter::addText(std::string_view text, unsigned wdf, const std::string &prefix)
{
    const std::vector<Token> tokens = tokenize(text);
    const bool withConcepts = concepts_ && prefix.empty();
    std::vector<std::string> stems(withConcepts ? tokens.size() : 0);
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        const Token &t = tokens[k];
        if (t.kind == TokenKind::Word) {
            if (t.text.size() > kMaxTermBytes)
                continue;
            doc_.add_posting(prefix + t.text, position_++, wdf);
            if (prefix.empty())
                if (std::string z = stemTerm(stem_, t.text); !z.empty()) {
                    doc_.add_term(z, wdf);
                    if (withConcepts)
                        stems[k] = std::move(z);
                }
            continue;
        }
        const std::size_t n = t.chars.size();
        if (n == 1) {
            doc_.add_posting(prefix + t.text, position_++, wdf);
            continue;
        }
        for (std::size_t i = 0; i < n; ++i) {
            doc_.add_term(prefix + cjkTerm(t.chars, i, 1), wdf);
            if (i + 1 < n)
                doc_.add_posting(prefix + cjkTerm(t.chars, i, 2), position_ + i, wdf);
        }
        position_ += n - 1;
    }
    if (withConcepts)
        concepts_->add(tokens, stems, wdf, doc_);
}

} // namespace kb::search
