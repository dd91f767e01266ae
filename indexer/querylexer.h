#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

// One piece of a query as typed: a word (any run of Chinese and Latin text), a quoted
// phrase, a field:value filter, a parenthesis or an operator.
struct QueryLexeme {
    enum Kind { Word, Phrase, Field, LParen, RParen, And, Or, Not, End } kind = End;
    std::string text;     // word, phrase text, or field value
    std::string field;    // canonical field name for Field
    bool negated = false; // -word, -"phrase", -field:value
    int column = 1;       // in code points, from 1
};

// What the lexer needs to know of the schema: which names stand for a field. The query
// builder answers from the plugin schemas; tests answer with a few names.
class QueryFields {
public:
    virtual ~QueryFields() = default;
    // The field `name` stands for (a field name, label or alias), or "" when none does.
    virtual std::string canonical(const std::string &name) const = 0;
    // Every name that may stand before ':', for did-you-mean.
    virtual std::vector<std::string> names() const = 0;
    // A value to show in an example filter on `field`.
    virtual std::string example(const std::string &field) const = 0;
};

// Splits a query into lexemes ending with one End. Throws QueryError for an unclosed
// quote, a filter without a value, or a misspelt field name.
std::vector<QueryLexeme> lexQuery(std::string_view query, const QueryFields &fields);

} // namespace kb::search
