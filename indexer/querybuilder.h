#pragma once

#include <xapian.h>

#include "indexer/queryerror.h"

#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

class IndexSchema;
class Lexicon;

struct ParsedQuery {
    // Every word must match (CJK runs as exact substrings, glossary terms with their
    // synonyms). `relaxed` lets any word match and ranks by how many do; the searcher
    // uses it only when nothing matches strictly (natural-language questions).
    Xapian::Query strict, relaxed;
    bool hasText = false;     // free text or phrases, not only filters
    bool relaxable = false;   // relaxed differs from strict
    bool cannotMatch = false; // a filter value names nothing that exists
    // Every term leaf has wqf 1 (QueryBuilder makes no other): the in-memory ranking,
    // whose weights assume it, may rank this query. Queries made elsewhere leave it false.
    bool unitWqf = false;
    // A question or a long description rather than keywords: question words were
    // dropped, or it has four or more content words. Ranked by how well records match
    // all of it, not by whether they hold every word.
    bool question = false;
    int contentPieces = 0;
    std::vector<std::string> notes;     // why it cannot match, how values were read
    std::vector<std::string> highlight; // folded words and CJK strings for snippets
    // The glossary and vocabulary entries the query's words were read as: each entry's
    // forms, all of which were searched for ("割接", "cutover", "switchover").
    std::vector<std::vector<std::string>> synonyms;
};

// The query language: free text in any mix of Chinese and English, "quoted phrases",
// AND / OR / NOT (also -word), parentheses, field:value filters for every field the
// plugin schemas declare (values may be Chinese, vocabulary labels or aliases),
// field:a..b date ranges, and glossary synonyms applied both ways.
class QueryBuilder {
public:
    QueryBuilder(const IndexSchema &schema, const Lexicon &lexicon)
        : schema_(schema), lexicon_(lexicon)
    {
    }
    ParsedQuery parse(std::string_view query) const; // throws QueryError
    std::vector<std::string> fieldNames() const;     // what may stand before ':'

private:
    const IndexSchema &schema_;
    const Lexicon &lexicon_;
};

} // namespace kb::search
