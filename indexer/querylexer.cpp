#include "indexer/querylexer.h"

#include "indexer/queryerror.h"
#include "indexer/suggest.h"
#include "indexer/utf8.h"

#include <algorithm>
#include <cstdint>

namespace kb::search {

namespace {

bool isSpace(std::uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000;
}

std::uint32_t closingQuote(std::uint32_t open)
{
    switch (open) {
    case '"':
        return '"';
    case 0x201C: // “
        return 0x201D;
    case 0x300C: // 「
        return 0x300D;
    case 0x300E: // 『
        return 0x300F;
    default:
        return 0;
    }
}

class Lexer {
public:
    Lexer(std::string_view q, const QueryFields &fields) : q_(q), fields_(fields) {}

    std::vector<QueryLexeme> run()
    {
        std::vector<QueryLexeme> out;
        while (pos_ < q_.size()) {
            const std::size_t start = pos_;
            const int column = column_;
            const std::uint32_t cp = next();
            if (isSpace(cp))
                continue;
            if (cp == '(' || cp == 0xFF08) {
                out.push_back({QueryLexeme::LParen, {}, {}, false, column});
                continue;
            }
            if (cp == ')' || cp == 0xFF09) {
                out.push_back({QueryLexeme::RParen, {}, {}, false, column});
                continue;
            }
            if (closingQuote(cp)) {
                out.push_back({QueryLexeme::Phrase, readQuoted(cp, column), {}, false, column});
                continue;
            }
            // -"phrase" excludes the phrase, +"phrase" requires it, as for words.
            if ((cp == '-' || cp == '+') && pos_ < q_.size() && closingQuote(peek())) {
                const int qc = column_;
                const std::uint32_t open = next();
                out.push_back({QueryLexeme::Phrase, readQuoted(open, qc), {}, cp == '-', column});
                continue;
            }
            pos_ = start;
            column_ = column;
            out.push_back(readChunk());
        }
        out.push_back({QueryLexeme::End, {}, {}, false, column_});
        return out;
    }

private:
    std::uint32_t next()
    {
        ++column_;
        return decodeUtf8(q_, pos_);
    }
    std::uint32_t peek() const
    {
        std::size_t p = pos_;
        return p < q_.size() ? decodeUtf8(q_, p) : 0;
    }

    std::string readQuoted(std::uint32_t open, int column)
    {
        const std::uint32_t close = closingQuote(open);
        std::string text;
        while (pos_ < q_.size()) {
            const std::uint32_t cp = next();
            if (cp == close || (open == 0x201C && cp == '"'))
                return text;
            appendUtf8(text, cp);
        }
        std::string fixed(q_);
        appendUtf8(fixed, close);
        throw QueryError("unclosed quote: the phrase starting at column " + std::to_string(column) +
                             " has no closing quote",
                         "add the closing quote: " + fixed);
    }

    QueryLexeme readChunk()
    {
        QueryLexeme lx;
        lx.column = column_;
        std::string chunk;
        std::size_t colonAt = std::string::npos;
        while (pos_ < q_.size()) {
            const std::uint32_t cp = peek();
            if (isSpace(cp) || cp == '(' || cp == ')' || cp == 0xFF08 || cp == 0xFF09 ||
                (closingQuote(cp) && colonAt == std::string::npos))
                break;
            if (closingQuote(cp)) // field:"quoted value"
                break;
            next();
            if ((cp == ':' || cp == 0xFF1A) && colonAt == std::string::npos) {
                colonAt = chunk.size();
                chunk += ':';
                continue;
            }
            appendUtf8(chunk, cp);
        }
        if (chunk == "AND" || chunk == "&&")
            return {QueryLexeme::And, chunk, {}, false, lx.column};
        if (chunk == "OR" || chunk == "||")
            return {QueryLexeme::Or, chunk, {}, false, lx.column};
        if (chunk == "NOT")
            return {QueryLexeme::Not, chunk, {}, false, lx.column};
        if (chunk.size() > 1 && (chunk[0] == '-' || chunk[0] == '+')) {
            lx.negated = chunk[0] == '-';
            chunk.erase(0, 1);
            if (colonAt != std::string::npos)
                --colonAt;
        }
        if (colonAt != std::string::npos && colonAt > 0) {
            const std::string name = chunk.substr(0, colonAt);
            std::string value = chunk.substr(colonAt + 1);
            if (std::string canonical = fields_.canonical(name); !canonical.empty()) {
                if (value.empty() && pos_ < q_.size() && closingQuote(peek())) {
                    const int qc = column_;
                    value = readQuoted(next(), qc);
                }
                if (value.empty())
                    throw QueryError("'" + name + ":' at column " + std::to_string(lx.column) +
                                         " needs a value",
                                     "for example " + canonical + ":" + fields_.example(canonical));
                lx.kind = QueryLexeme::Field;
                lx.field = canonical;
                lx.text = value;
                return lx;
            }
            // Looks like a misspelt field name: say so rather than search for it.
            const bool fieldLike = std::all_of(name.begin(), name.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            });
            if (fieldLike && name.size() >= 2)
                if (std::string near = closestMatch(name, fields_.names()); !near.empty())
                    throw QueryError("unknown field '" + name + "' at column " +
                                         std::to_string(lx.column),
                                     "did you mean " + near + ":" + value + " ?");
        }
        lx.kind = QueryLexeme::Word;
        lx.text = chunk;
        return lx;
    }

    std::string_view q_;
    const QueryFields &fields_;
    std::size_t pos_ = 0;
    int column_ = 1;
};

} // namespace

std::vector<QueryLexeme> lexQuery(std::string_view query, const QueryFields &fields)
{
    return Lexer(query, fields).run();
}

} // namespace kb::search
