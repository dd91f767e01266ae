#include "indexer/conceptterms.h"

#include "indexer/lexicon.h"
#include "indexer/termwriter.h"
#include "indexer/textanalysis.h"

#include <xapian.h>

#include <algorithm>
#include <functional>

namespace kb::search {

namespace {

std::uint64_t pairKey(std::uint32_t a, std::uint32_t b)
{
    return (std::uint64_t(a) << 32) | b;
}

bool startsWith(const std::vector<std::uint32_t> &s, const std::vector<std::uint32_t> &p)
{
    return s.size() >= p.size() && std::equal(p.begin(), p.end(), s.begin());
}

bool endsWith(const std::vector<std::uint32_t> &s, const std::vector<std::uint32_t> &p)
{
    return s.size() >= p.size() && std::equal(p.rbegin(), p.rend(), s.rbegin());
}

} // namespace

std::string conceptTerm(const SynonymGroup &group)
{
    std::string term = prefix::kConcept + group.source;
    if (term.size() > kMaxTermBytes) // never from a hand-written id; still a valid term
        term = prefix::kConcept + std::to_string(stableHash(group.source));
    return term;
}

ConceptTerms::ConceptTerms(const std::vector<SynonymGroup> &groups)
{
    const Xapian::Stem stem("english");
    for (int g = 0; g < int(groups.size()); ++g) {
        terms_.push_back(conceptTerm(groups[g]));
        for (const std::string &form : groups[g].forms) {
            const std::vector<Token> tokens = tokenize(form);
            if (tokens.empty())
                continue;
            if (tokens.size() == 1 && tokens[0].kind == TokenKind::Word) {
                const std::string z = stemTerm(stem, tokens[0].text);
                byWord_[z.empty() ? tokens[0].text : z].push_back(g);
            } else if (tokens.size() == 1 && tokens[0].chars.size() == 1) {
                byCjkChar_[tokens[0].chars[0]].push_back(g);
            } else if (tokens.size() == 1) {
                const auto &c = tokens[0].chars;
                cjkByFirstTwo_[pairKey(c[0], c[1])].push_back(int(cjkForms_.size()));
                cjkForms_.emplace_back(c, g);
            } else {
                MultiForm m;
                m.group = g;
                for (const Token &t : tokens)
                    m.pieces.push_back(t.kind == TokenKind::Word ? Piece{false, t.text, {}}
                                                                 : Piece{true, {}, t.chars});
                const Piece &first = m.pieces.front();
                if (first.cjk)
                    multiByLastChar_[first.chars.back()].push_back(int(multi_.size()));
                else
                    multiByFirstWord_[first.word].push_back(int(multi_.size()));
                multi_.push_back(std::move(m));
            }
        }
    }
}

// Where the query side's phrase of the form's terms would match (see TermWriter for the
// positions): words equal, a CJK piece a whole one-character run, else the end of the
// run it starts in, the start of the run it ends in, the whole run in between.
bool ConceptTerms::matchesAt(const MultiForm &form, const std::vector<Token> &tokens,
                             std::size_t at) const
{
    const std::size_t n = form.pieces.size();
    if (at + n > tokens.size())
        return false;
    for (std::size_t k = 0; k < n; ++k) {
        const Piece &p = form.pieces[k];
        const Token &t = tokens[at + k];
        if (p.cjk != (t.kind == TokenKind::Cjk))
            return false;
        if (!p.cjk) {
            if (t.text != p.word)
                return false;
        } else if (p.chars.size() == 1 || (k > 0 && k + 1 < n)) {
            if (t.chars != p.chars)
                return false;
        } else if (k == 0 ? !endsWith(t.chars, p.chars) : !startsWith(t.chars, p.chars)) {
            return false;
        }
    }
    return true;
}

void ConceptTerms::addCjk(const Token &run, unsigned wdf, Xapian::Document &doc) const
{
    const auto &c = run.chars;
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (!byCjkChar_.empty())
            if (auto it = byCjkChar_.find(c[i]); it != byCjkChar_.end())
                for (int g : it->second)
                    doc.add_term(terms_[g], wdf);
        if (i + 1 >= c.size())
            break;
        auto it = cjkByFirstTwo_.find(pairKey(c[i], c[i + 1]));
        if (it == cjkByFirstTwo_.end())
            continue;
        for (int f : it->second) {
            const auto &[form, group] = cjkForms_[f];
            if (i + form.size() <= c.size() &&
                std::equal(form.begin() + 2, form.end(), c.begin() + std::ptrdiff_t(i) + 2))
                doc.add_term(terms_[group], wdf);
        }
    }
}

void ConceptTerms::add(const std::vector<Token> &tokens, const std::vector<std::string> &stems,
                       unsigned wdf, Xapian::Document &doc) const
{
    if (terms_.empty())
        return;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token &t = tokens[i];
        const std::vector<int> *multi = nullptr;
        if (t.kind == TokenKind::Word) {
            const std::string &key = stems[i].empty() ? t.text : stems[i];
            if (auto it = byWord_.find(key); it != byWord_.end())
                for (int g : it->second)
                    doc.add_term(terms_[g], wdf);
            if (auto it = multiByFirstWord_.find(t.text); it != multiByFirstWord_.end())
                multi = &it->second;
        } else {
            addCjk(t, wdf, doc);
            if (auto it = multiByLastChar_.find(t.chars.back()); it != multiByLastChar_.end())
                multi = &it->second;
        }
        if (multi)
            for (int f : *multi)
                if (matchesAt(multi_[f], tokens, i))
                    doc.add_term(terms_[multi_[f].group], wdf);
    }
}

} // namespace kb::search
