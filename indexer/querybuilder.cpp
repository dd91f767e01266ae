#include "indexer/querybuilder.h"

#include "core/vocabulary.h"
#include "indexer/conceptterms.h"
#include "indexer/dictionary.h"
#include "indexer/indexschema.h"
#include "indexer/lexicon.h"
#include "indexer/querylexer.h"
#include "indexer/queryparser.h"
#include "indexer/suggest.h"
#include "indexer/termwriter.h"
#include "indexer/textanalysis.h"

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

namespace kb::search {

namespace {

// Each code point of a run as its own UTF-8 string, as the dictionary looks words up.
std::vector<std::string> utf8Chars(const std::vector<std::uint32_t> &run)
{
    std::vector<std::string> chars;
    for (std::uint32_t cp : run) {
        std::string c;
        appendUtf8(c, cp);
        chars.push_back(std::move(c));
    }
    return chars;
}

// ---- Building Xapian queries -------------------------------------------------------

using Q = Xapian::Query;

std::optional<Q> combine(Q::op op, std::vector<Q> parts)
{
    if (parts.empty())
        return std::nullopt;
    if (parts.size() == 1)
        return parts.front();
    return Q(op, parts.begin(), parts.end());
}

bool parseDatePart(const std::string &s, bool upper, std::string *key)
{
    std::string digits;
    for (char c : s)
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c != '-' && c != '/' && c != '.')
            return false;
    if (digits.size() == 4)
        digits += upper ? "1231" : "0101";
    else if (digits.size() == 6)
        digits += upper ? "31" : "01";
    if (digits.size() != 8)
        return false;
    const int month = std::stoi(digits.substr(4, 2)), day = std::stoi(digits.substr(6, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return false;
    if (s.size() >= 8 &&
        !isIsoDate(digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2)))
        return false; // 2024-02-30, 2024/02/30
    *key = digits;
    return true;
}

// What building a query found out besides the query itself.
struct QueryFacts {
    bool hasText = false, relaxable = false, cannotMatch = false, question = false;
    int contentPieces = 0;
    std::vector<std::string> notes, highlight;
    std::vector<std::vector<std::string>> synonyms;
};

struct BuiltQuery {
    std::optional<Xapian::Query> query;
    QueryFacts facts;
};

// Counts what a query searches for besides stop words, so that stop words are dropped
// only when something else remains.
std::size_t contentWords(const QueryNode &n)
{
    std::size_t content = 0;
    if (n.kind == QueryNode::Text) {
        for (const Token &t : tokenize(n.text))
            if (t.kind == TokenKind::Cjk || !Lexicon::isStopWord(t.text))
                ++content;
    } else if (n.kind == QueryNode::Phrase || n.kind == QueryNode::Group) {
        ++content;
    }
    for (const QueryNode &k : n.kids)
        content += contentWords(k);
    return content;
}

// Builds the Xapian query of a tree in one of two forms: strict (every word must match)
// or relaxed (any may, ranked by how many do). One Builder builds one tree once.
class Builder {
public:
    enum Form { Strict, Relaxed };
    Builder(const IndexSchema &schema, const Lexicon &lexicon, Form form, bool dropStopWords)
        : schema_(schema), lexicon_(lexicon), relaxed_(form == Relaxed), dropStops_(dropStopWords),
          stem_("english")
    {
    }

    BuiltQuery build(const QueryNode &root) &&
    {
        std::optional<Q> q = node(root);
        return {std::move(q), std::move(out_)};
    }

private:
    std::optional<Q> node(const QueryNode &n)
    {
        switch (n.kind) {
        case QueryNode::Text:
            out_.hasText = true;
            return textQuery(n.text);
        case QueryNode::Phrase:
            out_.hasText = true;
            return phraseQuery(n.text, "");
        case QueryNode::Group:
            out_.hasText = true;
            return relaxed_ ? relaxedGroup(n.group, n.text) : groupQuery(n.group);
        case QueryNode::Field:
            return fieldQuery(n.field, n.text);
        case QueryNode::Not: {
            auto inner = excluded(n.kids.front());
            if (!inner)
                return std::nullopt;
            return Q(Q::OP_AND_NOT, Q::MatchAll, *inner);
        }
        case QueryNode::Or: {
            std::vector<Q> parts;
            for (const QueryNode &k : n.kids)
                if (auto q = node(k))
                    parts.push_back(*q);
            return combine(Q::OP_OR, parts);
        }
        case QueryNode::And:
            return andQuery(n);
        }
        return std::nullopt;
    }

    // What a query excludes, always in its strict form: its words are not highlighted,
    // and do not make the query a long one to be answered as a question.
    std::optional<Q> excluded(const QueryNode &n)
    {
        BuiltQuery b = Builder(schema_, lexicon_, Strict, dropStops_).build(n);
        out_.hasText = out_.hasText || b.facts.hasText;
        out_.cannotMatch = out_.cannotMatch || b.facts.cannotMatch;
        out_.notes.insert(out_.notes.end(), b.facts.notes.begin(), b.facts.notes.end());
        return b.query;
    }

    std::optional<Q> andQuery(const QueryNode &n)
    {
        std::vector<QueryNode> kids = mergeSynonymPhrases(n.kids);
        std::vector<Q> positive, negative;
        std::map<std::string, std::vector<Q>> filters; // same field ORs, fields AND
        for (const QueryNode &k : kids) {
            if (k.kind == QueryNode::Not) {
                if (auto q = excluded(k.kids.front()))
                    negative.push_back(*q);
            } else if (k.kind == QueryNode::Field) {
                if (auto q = node(k))
                    filters[k.field].push_back(*q);
            } else if (auto q = node(k)) {
                positive.push_back(*q);
            }
        }
        const bool orWords = relaxed_ && !n.explicitAnd;
        if (orWords && positive.size() > 1)
            out_.relaxable = true;
        std::optional<Q> result = combine(orWords ? Q::OP_OR : Q::OP_AND, positive);
        std::vector<Q> filterParts;
        for (auto &[field, qs] : filters)
            filterParts.push_back(*combine(Q::OP_OR, qs));
        if (auto f = combine(Q::OP_AND, filterParts))
            result = result ? Q(Q::OP_FILTER, *result, *f) : Q(Q::OP_SCALE_WEIGHT, *f, 0.0);
        if (auto neg = combine(Q::OP_OR, negative))
            result = Q(Q::OP_AND_NOT, result ? *result : Q::MatchAll, *neg);
        return result;
    }

    // Consecutive plain words forming a multi-word glossary entry ("site survey") become
    // one synonym group.
    std::vector<QueryNode> mergeSynonymPhrases(const std::vector<QueryNode> &kids) const
    {
        std::vector<QueryNode> out;
        for (std::size_t i = 0; i < kids.size();) {
            int matched = 0, group = -1;
            for (int len = std::min<int>(lexicon_.maxLatinWords(), int(kids.size() - i)); len >= 2;
                 --len) {
                std::string key;
                bool plain = true;
                for (int k = 0; k < len && plain; ++k) {
                    const QueryNode &w = kids[i + k];
                    const auto tokens = tokenize(w.text);
                    plain = w.kind == QueryNode::Text && tokens.size() == 1 &&
                            tokens[0].kind == TokenKind::Word;
                    if (plain)
                        key += (k ? " " : "") + tokens[0].text;
                }
                if (plain && (group = lexicon_.latinGroup(key)) >= 0) {
                    matched = len;
                    break;
                }
            }
            if (matched) {
                QueryNode g;
                g.kind = QueryNode::Group;
                g.group = group;
                for (int k = 0; k < matched; ++k) // the words as typed, for relaxing
                    g.text += (k ? " " : "") + kids[i + k].text;
                out.push_back(g);
                i += matched;
            } else {
                out.push_back(kids[i++]);
            }
        }
        return out;
    }

    void highlightCjk(const std::vector<std::uint32_t> &chars)
    {
        out_.highlight.push_back(cjkTerm(chars, 0, chars.size()));
    }

    // An exact CJK string: its bigrams in a row (a single character is its unigram).
    Q cjkExact(const std::vector<std::uint32_t> &chars, const std::string &prefix)
    {
        if (chars.size() <= 2)
            return Q(prefix + cjkTerm(chars, 0, chars.size()));
        std::vector<Q> grams;
        for (std::size_t i = 0; i + 1 < chars.size(); ++i)
            grams.emplace_back(prefix + cjkTerm(chars, i, 2));
        return Q(Q::OP_PHRASE, grams.begin(), grams.end(), Xapian::termcount(grams.size()));
    }

    // How much a dictionary translation weighs beside the word as typed (tuning half of
    // the judged set: 0.25 -> 0.768, 0.5 -> 0.770, 1.0 -> 0.773 but English 0.925 -> 0.877).
    // Translations join the relaxed query only: in the strict one they took the tuning
    // half to 0.770 rather than 0.765, but MemoryMatcher cannot scale weights, so every
    // such query would leave kb serve's in-memory ranking.
    static constexpr double kTranslationWeight = 0.5;
    static constexpr std::size_t kMaxGlosses = 2;

    // An English word the glossary lacks: the Chinese words the dictionary gives for it.
    std::optional<Q> chineseTranslations(const std::string &word)
    {
        const Dictionary *dict = lexicon_.dictionary();
        if (!dict)
            return std::nullopt;
        std::vector<Q> alts;
        for (const std::string &zh : dict->chineseFor(word)) {
            std::vector<std::uint32_t> chars;
            for (std::size_t i = 0; i < zh.size();)
                chars.push_back(decodeUtf8(zh, i));
            highlightCjk(chars);
            alts.push_back(cjkExact(chars, ""));
        }
        if (alts.empty())
            return std::nullopt;
        return Q(Q::OP_SCALE_WEIGHT, *combine(Q::OP_OR, alts), kTranslationWeight);
    }

    // A Chinese run the glossary lacks: split into dictionary words, each standing for its
    // English glosses; every word found must be matched (as the run itself must be).
    std::optional<Q> englishTranslations(const std::vector<std::uint32_t> &run)
    {
        const Dictionary *dict = lexicon_.dictionary();
        if (!dict || run.size() < 2)
            return std::nullopt;
        const std::vector<std::string> chars = utf8Chars(run);
        std::vector<Q> words;
        for (std::size_t i = 0; i < chars.size();) {
            const std::size_t n = dict->longestWordAt(chars, i);
            if (n == 0) {
                ++i;
                continue;
            }
            std::string zh;
            for (std::size_t k = i; k < i + n; ++k)
                zh += chars[k];
            i += n;
            std::vector<Q> glosses;
            std::vector<std::string> senses = dict->englishFor(zh);
            if (senses.size() > kMaxGlosses) // the first senses are the common ones
                senses.resize(kMaxGlosses);
            for (const std::string &gloss : senses) {
                std::vector<Q> parts;
                for (const Token &t : tokenize(gloss))
                    if (t.kind == TokenKind::Word && !Lexicon::isStopWord(t.text))
                        parts.push_back(wordQuery(t.text));
                if (!parts.empty())
                    glosses.push_back(*combine(Q::OP_AND, parts));
            }
            if (!glosses.empty())
                words.push_back(*combine(Q::OP_OR, glosses));
        }
        if (words.empty())
            return std::nullopt;
        return Q(Q::OP_SCALE_WEIGHT, *combine(Q::OP_AND, words), kTranslationWeight);
    }

    // Measurement switch (bench/RESULTS.md): 0 bigrams of unknown Chinese runs, 1 their
    // dictionary words, 2 also no lone unknown characters beside words.
    static inline const int kCjkWordsVariant = [] {
        const char *v = std::getenv("KB_EVAL_CJK_WORDS");
        return v ? std::atoi(v) : 0;
    }();

    // An unknown Chinese run of a relaxed query as its dictionary words (怎么/处理/设备/
    // 损坏 rather than 怎么/么处/处理/理设/...): bigrams across word boundaries are noise
    // that, being rare, weigh much. Characters no word covers are left out.
    std::optional<Q> dictionaryWords(const std::vector<std::uint32_t> &run)
    {
        const Dictionary *dict = lexicon_.dictionary();
        if (!dict)
            return std::nullopt;
        const std::vector<std::string> chars = utf8Chars(run);
        std::vector<Q> words;
        for (std::size_t i = 0; i < chars.size();) {
            const std::size_t n = dict->longestWordAt(chars, i);
            if (n < 2) {
                ++i;
                continue;
            }
            std::vector<std::uint32_t> word(run.begin() + i, run.begin() + i + n);
            highlightCjk(word);
            words.push_back(cjkExact(word, ""));
            i += n;
        }
        if (words.empty())
            return std::nullopt;
        return combine(Q::OP_OR, words);
    }

    Q wordQuery(const std::string &word)
    {
        out_.highlight.push_back(word);
        const std::string z = stemTerm(stem_, word);
        return z.empty() ? Q(word) : Q(z);
    }

    std::optional<Q> textQuery(const std::string &text)
    {
        std::vector<Q> parts;
        const std::vector<Token> tokens = tokenize(text);
        // A chunk that is a glossary entry as a whole ("O&M", "GSM-R").
        if (tokens.size() > 1 && std::all_of(tokens.begin(), tokens.end(), [](const Token &t) {
                return t.kind == TokenKind::Word;
            })) {
            std::string key;
            for (const Token &t : tokens)
                key += (key.empty() ? "" : " ") + t.text;
            if (const int group = lexicon_.latinGroup(key); group >= 0)
                return relaxed_ ? relaxedGroup(group, key) : groupQuery(group);
        }
        for (const Token &t : tokens) {
            if (t.kind == TokenKind::Word) {
                if (t.text.size() > kMaxTermBytes)
                    continue;
                if (dropStops_ && tokens.size() == 1 && Lexicon::isStopWord(t.text)) {
                    out_.question = true;
                    continue;
                }
                ++out_.contentPieces;
                const int group = lexicon_.latinGroup(t.text);
                if (group >= 0) {
                    parts.push_back(groupQuery(group));
                } else if (auto zh = relaxed_ ? chineseTranslations(t.text) : std::nullopt) {
                    parts.push_back(Q(Q::OP_OR, wordQuery(t.text), *zh));
                } else {
                    parts.push_back(wordQuery(t.text));
                }
                continue;
            }
            bool droppedStops = false;
            std::vector<CjkSegment> segments = lexicon_.segment(t.chars, &droppedStops);
            out_.question = out_.question || droppedStops;
            if (segments.empty()) // only stop words: search them after all
                segments.push_back(CjkSegment{t.chars, -1});
            out_.contentPieces += int(segments.size());
            std::vector<Q> pieces;
            for (const CjkSegment &s : segments) {
                if (segments.size() > 1 && s.group < 0 && s.chars.size() == 1 &&
                    Lexicon::isFunctionChar(s.chars[0]))
                    continue; // "和" between two known words
                if (s.group >= 0 && relaxed_ && s.chars.size() > 2) {
                    // A compound concept (割接演练) in a relaxed query: records with only
                    // part of it (割接) follow those with the concept, at a lower weight.
                    out_.relaxable = true;
                    std::vector<Q> grams;
                    for (std::size_t i = 0; i + 1 < s.chars.size(); ++i)
                        grams.emplace_back(cjkTerm(s.chars, i, 2));
                    std::optional<Q> parts = combine(Q::OP_OR, grams);
                    if (kCjkWordsVariant >= 3)
                        if (auto words = dictionaryWords(s.chars))
                            parts = words;
                    pieces.push_back(
                        Q(Q::OP_OR, groupQuery(s.group), Q(Q::OP_SCALE_WEIGHT, *parts, 0.5)));
                } else if (s.group >= 0) {
                    pieces.push_back(groupQuery(s.group));
                } else if (relaxed_ && s.chars.size() > 2) {
                    out_.relaxable = true;
                    if (auto words =
                            kCjkWordsVariant >= 1 ? dictionaryWords(s.chars) : std::nullopt) {
                        pieces.push_back(*words);
                        continue;
                    }
                    std::vector<Q> grams;
                    for (std::size_t i = 0; i + 1 < s.chars.size(); ++i) {
                        grams.emplace_back(cjkTerm(s.chars, i, 2));
                        out_.highlight.push_back(cjkTerm(s.chars, i, 2));
                    }
                    // Its English glosses too (海关扣货: customs, goods held), as for
                    // short runs: tuning half 0.766 -> 0.775, held-out 0.802 -> 0.813.
                    Q run = *combine(Q::OP_OR, grams);
                    if (auto en = englishTranslations(s.chars))
                        run = Q(Q::OP_OR, run, *en);
                    pieces.push_back(run);
                } else if (relaxed_ && kCjkWordsVariant == 2 && s.chars.size() == 1 &&
                           segments.size() > 1) {
                    continue; // one unknown character beside words: it matches everything
                } else {
                    highlightCjk(s.chars);
                    Q exact = cjkExact(s.chars, "");
                    if (auto en = relaxed_ ? englishTranslations(s.chars) : std::nullopt)
                        exact = Q(Q::OP_OR, exact, *en);
                    pieces.push_back(exact);
                }
            }
            if (pieces.empty()) // only function characters (跟, 和) between stop words
                pieces.push_back(cjkExact(t.chars, ""));
            if (pieces.size() > 1)
                out_.relaxable = true;
            Q run = *combine(relaxed_ ? Q::OP_OR : Q::OP_AND, pieces);
            // The run exactly as typed ranks above its parts scattered apart.
            if (pieces.size() > 1 || relaxed_)
                run = Q(Q::OP_AND_MAYBE, run, cjkExact(t.chars, ""));
            parts.push_back(run);
        }
        if (parts.size() > 1)
            out_.relaxable = true;
        return combine(relaxed_ ? Q::OP_OR : Q::OP_AND, parts);
    }

    // Words and CJK runs in order, as positional terms.
    std::optional<Q> phraseQuery(const std::string &text, const std::string &prefix)
    {
        std::vector<Q> terms;
        for (const Token &t : tokenize(text)) {
            if (t.kind == TokenKind::Word) {
                terms.emplace_back(prefix + t.text);
                out_.highlight.push_back(t.text);
            } else if (t.chars.size() == 1) {
                terms.emplace_back(prefix + t.text);
                highlightCjk(t.chars);
            } else {
                highlightCjk(t.chars);
                for (std::size_t i = 0; i + 1 < t.chars.size(); ++i)
                    terms.emplace_back(prefix + cjkTerm(t.chars, i, 2));
            }
        }
        if (terms.size() <= 1)
            return combine(Q::OP_AND, terms);
        return Q(Q::OP_PHRASE, terms.begin(), terms.end(), Xapian::termcount(terms.size()));
    }

    // Any form of a glossary or vocabulary entry, in either language: the entry's concept
    // term, which the indexer adds wherever one of its forms occurs (see ConceptTerms),
    // weighted as one term since the entry is one concept. Every form is highlighted.
    // A multi-word glossary entry in a relaxed query: records with its words apart
    // ("customs" ... "clearance") follow those with the concept, at a lower weight.
    Q relaxedGroup(int group, const std::string &words)
    {
        std::vector<Q> parts;
        for (const Token &t : tokenize(words))
            if (t.kind == TokenKind::Word && !Lexicon::isStopWord(t.text))
                parts.push_back(wordQuery(t.text));
        if (parts.size() < 2)
            return groupQuery(group);
        out_.relaxable = true;
        return Q(Q::OP_OR, groupQuery(group),
                 Q(Q::OP_SCALE_WEIGHT, *combine(Q::OP_AND, parts), 0.5));
    }

    Q groupQuery(int group)
    {
        const SynonymGroup &g = lexicon_.groups()[group];
        out_.synonyms.push_back(g.forms);
        for (const std::string &form : g.forms)
            for (const Token &t : tokenize(form)) {
                if (t.kind == TokenKind::Word)
                    out_.highlight.push_back(t.text);
                else
                    highlightCjk(t.chars);
            }
        return Q(conceptTerm(g));
    }

    std::optional<Q> fieldQuery(const std::string &name, const std::string &value)
    {
        if (name == "year") {
            std::string key;
            if (value.size() != 4 || !parseDatePart(value, false, &key))
                throw QueryError("year:" + value + " is not a year", "e.g. year:2010");
            // The year of `date`, or a schema field called year (a case's year).
            const IndexedField *own = schema_.field("year");
            if (own && !own->prefix.empty())
                return Q(Q::OP_OR, Q(prefix::kYear + value), Q(booleanTerm(own->prefix, value)));
            return Q(prefix::kYear + value);
        }
        if (name == "title") {
            out_.hasText = true;
            return phraseQuery(value, prefix::kTitle);
        }
        const IndexedField *f = schema_.field(name);
        if (name == "type")
            return typeQuery(value);
        if (f->spec.isDateLike())
            return dateQuery(*f, value);
        if (f->prefix.empty())
            throw QueryError("the field '" + name + "' cannot be used as a filter",
                             "search its words without the '" + name + ":' prefix");
        if (!f->spec.vocabulary.empty())
            return vocabularyQuery(*f, value);
        if (!f->spec.values.empty())
            return enumQuery(*f, value);
        return Q(booleanTerm(f->prefix, value));
    }

    Q typeQuery(const std::string &value)
    {
        const std::string v = foldText(value);
        // "note" (files no plugin claims) matches but is never offered: no one files one.
        const std::vector<std::string> offered = schema_.typeNames();
        std::vector<std::string> names = offered;
        names.push_back("note");
        for (const std::string &t : names) {
            const TypeSchema *ts = schema_.type(t);
            if (v == t || (ts && (v == ts->pluginId || v == foldText(ts->labelEn) ||
                                  v == foldText(ts->labelZh))))
                return Q(prefix::kType + t);
        }
        return cannotMatch("no record type is called '" + value + "'", value, offered, "type");
    }

    Q cannotMatch(const std::string &why, const std::string &value,
                  const std::vector<std::string> &known, const std::string &field)
    {
        out_.cannotMatch = true;
        std::string note = why + ".";
        if (std::string near = closestMatch(value, known, 3); !near.empty())
            note += " Did you mean " + field + ":" + near + " ?";
        else {
            note += " Known values:";
            for (std::size_t i = 0; i < known.size() && i < 12; ++i)
                note += " " + known[i];
            if (known.size() > 12)
                note += " ...";
        }
        out_.notes.push_back(note);
        return Q::MatchNothing;
    }

    Q enumQuery(const IndexedField &f, const std::string &value)
    {
        const std::string v = foldText(value);
        std::vector<Q> matches;
        for (const std::string &allowed : f.spec.values)
            if (foldText(allowed) == v)
                return Q(booleanTerm(f.prefix, allowed));
        // A value as the web shows it (status:已接受, status:Accepted).
        for (const auto &[allowed, labels] : f.spec.valueLabels)
            if (foldText(labels.first) == v || foldText(labels.second) == v)
                return Q(booleanTerm(f.prefix, allowed));
        for (const std::string &allowed : f.spec.values)
            if (foldText(allowed).rfind(v, 0) == 0)
                matches.emplace_back(booleanTerm(f.prefix, allowed));
        if (!matches.empty())
            return *combine(Q::OP_OR, matches);
        return cannotMatch("no " + f.name + " is '" + value + "'", value, f.spec.values, f.name);
    }

    // Vocabulary values match by id, label or alias; a part of a label matches every
    // entry containing it (touchpoint:割接 -> tp07-install-cutover).
    Q vocabularyQuery(const IndexedField &f, const std::string &value)
    {
        const Vocabularies &vocab = schema_.vocab();
        if (const Term *t = vocab.lookup(f.spec.vocabulary, value))
            return Q(booleanTerm(f.prefix, t->id));
        const std::string v = foldText(value);
        std::vector<Q> matches;
        std::vector<std::string> known;
        if (const auto *terms = vocab.get(f.spec.vocabulary)) {
            for (const Term &t : *terms) {
                known.push_back(t.id);
                bool hit = foldText(t.id).find(v) != std::string::npos ||
                           foldText(t.zh).find(v) != std::string::npos ||
                           foldText(t.en).find(v) != std::string::npos;
                for (const std::string &a : t.aliases)
                    hit = hit || foldText(a).find(v) != std::string::npos;
                if (hit)
                    matches.emplace_back(booleanTerm(f.prefix, t.id));
            }
        }
        if (!matches.empty())
            return *combine(Q::OP_OR, matches);
        // Values outside the vocabulary are still indexed as written.
        (void)known;
        return Q(booleanTerm(f.prefix, value));
    }

    Q dateQuery(const IndexedField &f, const std::string &value)
    {
        const std::string example = f.name + ":2024-01..2024-06";
        const auto bad = [&](const std::string &part) {
            return QueryError("'" + part + "' in " + f.name + ":" + value + " is not a date",
                              "use YYYY, YYYY-MM or YYYY-MM-DD, and a..b for a range, e.g. " +
                                  example);
        };
        const std::size_t dots = value.find("..");
        std::string lo, hi;
        if (dots == std::string::npos) {
            if (!parseDatePart(value, false, &lo) || !parseDatePart(value, true, &hi))
                throw bad(value);
        } else {
            const std::string a = value.substr(0, dots), b = value.substr(dots + 2);
            if (a.empty() && b.empty())
                throw QueryError(f.name + ":.. has no bounds", "e.g. " + example);
            if (!a.empty() && !parseDatePart(a, false, &lo))
                throw bad(a);
            if (!b.empty() && !parseDatePart(b, true, &hi))
                throw bad(b);
            if (!lo.empty() && !hi.empty() && lo > hi)
                throw QueryError("the range " + f.name + ":" + value + " ends before it starts",
                                 "swap the bounds: " + f.name + ":" + b + ".." + a);
        }
        if (f.slot == kNoSlot)
            throw QueryError("the field '" + f.name + "' has no dates to compare", "");
        if (lo.empty())
            return Q(Q::OP_VALUE_LE, f.slot, hi);
        if (hi.empty())
            return Q(Q::OP_VALUE_GE, f.slot, lo);
        if (f.name == "date")
            if (auto terms = dateRangeTerms(lo, hi))
                return *terms;
        return Q(Q::OP_VALUE_RANGE, f.slot, lo, hi);
    }

    // A closed range on `date` as whole years, months and days (the Y/M/D terms every
    // document has, as Omega does): posting lists instead of reading each candidate's
    // value (measured at 100k records: "date:2015..2020 培训" 12.7 ms -> 5.9 ms). Gives up
    // (nullopt) when the range needs too many terms.
    static std::optional<Q> dateRangeTerms(const std::string &lo, const std::string &hi)
    {
        int y = std::stoi(lo.substr(0, 4)), m = std::stoi(lo.substr(4, 2)),
            d = std::stoi(lo.substr(6, 2));
        const auto key = [](int yy, int mm, int dd) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04d%02d%02d", yy, mm, dd);
            return std::string(buf);
        };
        std::vector<Q> terms;
        while (key(y, m, d) <= hi && terms.size() <= 120) {
            if (m == 1 && d == 1 && key(y, 12, 31) <= hi) {
                terms.emplace_back(prefix::kYear + key(y, 1, 1).substr(0, 4));
                ++y;
            } else if (d == 1 && key(y, m, 31) <= hi) {
                terms.emplace_back(prefix::kMonth + key(y, m, 1).substr(0, 6));
                if (++m > 12) {
                    m = 1;
                    ++y;
                }
            } else {
                terms.emplace_back(prefix::kDay + key(y, m, d));
                if (++d > 31) {
                    d = 1;
                    if (++m > 12) {
                        m = 1;
                        ++y;
                    }
                }
            }
        }
        if (terms.size() > 120)
            return std::nullopt;
        return Q(Q::OP_OR, terms.begin(), terms.end());
    }

    const IndexSchema &schema_;
    const Lexicon &lexicon_;
    QueryFacts out_;
    const bool relaxed_;
    const bool dropStops_;
    Xapian::Stem stem_;
};

// The plugin schemas' fields, as the lexer asks for them.
class SchemaFields : public QueryFields {
public:
    explicit SchemaFields(const IndexSchema &schema) : schema_(schema) {}

    std::string canonical(const std::string &name) const override
    {
        const std::string folded = foldText(name);
        if (folded == "tag")
            return "tags";
        for (const IndexedField &f : schema_.fields())
            if (f.name == folded || foldText(f.spec.labelEn) == folded ||
                (!f.spec.labelZh.empty() && foldText(f.spec.labelZh) == folded))
                return f.name;
        if (folded == "year")
            return "year";
        return {};
    }

    std::vector<std::string> names() const override
    {
        std::vector<std::string> names{"year", "tag"};
        for (const IndexedField &f : schema_.fields())
            names.push_back(f.name);
        return names;
    }

    std::string example(const std::string &field) const override
    {
        const IndexedField *f = schema_.field(field);
        if (!f)
            return "2024";
        if (f->spec.isDateLike())
            return "2024-01..2024-06";
        if (!f->spec.values.empty())
            return f->spec.values.front();
        if (!f->spec.vocabulary.empty())
            if (const auto *terms = schema_.vocab().get(f->spec.vocabulary);
                terms && !terms->empty())
                return terms->front().id;
        return "VALUE";
    }

private:
    const IndexSchema &schema_;
};

void sortUnique(std::vector<std::string> &v)
{
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

} // namespace

std::vector<std::string> QueryBuilder::fieldNames() const
{
    return SchemaFields(schema_).names();
}

ParsedQuery QueryBuilder::parse(std::string_view query) const
{
    if (query.size() > 4096)
        throw QueryError("the query is longer than 4096 bytes", "shorten it");
    std::vector<QueryLexeme> lexemes = lexQuery(query, SchemaFields(schema_));
    const auto filters = std::count_if(lexemes.begin(), lexemes.end(), [](const QueryLexeme &l) {
        return l.kind == QueryLexeme::Field;
    });
    const QueryNode root = parseQuery(std::move(lexemes), query);
    const bool dropStops = contentWords(root) > 0;
    BuiltQuery strict = Builder(schema_, lexicon_, Builder::Strict, dropStops).build(root);
    BuiltQuery relaxed = Builder(schema_, lexicon_, Builder::Relaxed, dropStops).build(root);
    if (!strict.query)
        throw QueryError("the query has nothing to search for", "type a word, e.g. 割接");
    // Past this a query is a load, not a question (500 words took 1.4 s on 100k records);
    // web search engines stop at 32 words.
    constexpr long kMaxPieces = 100;
    const int pieces = strict.facts.contentPieces;
    if (pieces + filters > kMaxPieces)
        throw QueryError("the query has " + std::to_string(pieces + filters) +
                             " words and filters; kb takes at most " + std::to_string(kMaxPieces),
                         "keep the words that matter");
    ParsedQuery out;
    out.strict = *strict.query;
    out.relaxed = relaxed.query ? *relaxed.query : *strict.query;
    out.hasText = strict.facts.hasText;
    out.relaxable = relaxed.facts.relaxable;
    out.cannotMatch = strict.facts.cannotMatch || relaxed.facts.cannotMatch;
    out.contentPieces = pieces;
    out.question = strict.facts.question || relaxed.facts.question || pieces >= 4;
    out.notes = std::move(strict.facts.notes);
    out.notes.insert(out.notes.end(), relaxed.facts.notes.begin(), relaxed.facts.notes.end());
    sortUnique(out.notes);
    out.synonyms = std::move(strict.facts.synonyms);
    for (auto &forms : relaxed.facts.synonyms)
        if (std::find(out.synonyms.begin(), out.synonyms.end(), forms) == out.synonyms.end())
            out.synonyms.push_back(std::move(forms));
    out.highlight = std::move(strict.facts.highlight);
    out.highlight.insert(out.highlight.end(), relaxed.facts.highlight.begin(),
                         relaxed.facts.highlight.end());
    sortUnique(out.highlight);
    out.unitWqf = true;
    return out;
}

} // namespace kb::search
