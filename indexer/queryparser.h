#pragma once

#include "indexer/querylexer.h"

#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

// The query as a tree. Precedence, loosest first: OR, AND (also words side by side),
// NOT (also a leading '-'); parentheses group.
struct QueryNode {
    enum Kind { Text, Phrase, Field, Group, And, Or, Not } kind = Text;
    std::string text;         // Text, Phrase, Field value; Group: the words as typed
    std::string field;        // Field
    int group = -1;           // Group: a multi-word glossary entry (made by the builder)
    bool explicitAnd = false; // And: the query said AND, so relaxing may not drop a side
    std::vector<QueryNode> kids;
    int column = 1;
};

// Parses the lexemes of `query` (lexQuery); throws QueryError naming the column of an
// operator without a term, an unmatched parenthesis or an empty query.
QueryNode parseQuery(std::vector<QueryLexeme> lexemes, std::string_view query);

// The tree in one line, for tests and debugging: (AND 割接 (NOT 回退) customer:tm-malaysia
// "site survey"); "(AND!" when the query said AND, {words} for a glossary group.
std::string describeQuery(const QueryNode &node);

} // namespace kb::search
