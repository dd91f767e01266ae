#include "indexer/queryparser.h"

#include "indexer/queryerror.h"

namespace kb::search {

namespace {

class Parser {
public:
    Parser(std::vector<QueryLexeme> lx, std::string_view query) : lx_(std::move(lx)), query_(query)
    {
    }

    QueryNode parse()
    {
        if (lx_.size() == 1)
            throw QueryError("the query is empty", "type a word, e.g. 割接 or cutover");
        QueryNode n = parseOr();
        if (peek().kind == QueryLexeme::RParen)
            throw QueryError("unmatched ')' at column " + std::to_string(peek().column),
                             "remove it, or add '(' where the group starts");
        return n;
    }

private:
    const QueryLexeme &peek() const { return lx_[pos_]; }
    const QueryLexeme &take() { return lx_[pos_++]; }

    QueryNode parseOr()
    {
        QueryNode left = parseAnd();
        if (peek().kind != QueryLexeme::Or)
            return left;
        QueryNode n;
        n.kind = QueryNode::Or;
        n.kids.push_back(std::move(left));
        while (peek().kind == QueryLexeme::Or) {
            const QueryLexeme &op = take();
            if (startsNothing(peek()))
                throw QueryError("'OR' at column " + std::to_string(op.column) +
                                     " needs a term after it",
                                 "write a term on both sides, e.g. 割接 OR cutover");
            n.kids.push_back(parseAnd());
        }
        return n;
    }

    static bool startsNothing(const QueryLexeme &l)
    {
        return l.kind == QueryLexeme::End || l.kind == QueryLexeme::RParen ||
               l.kind == QueryLexeme::Or || l.kind == QueryLexeme::And;
    }

    QueryNode parseAnd()
    {
        if (peek().kind == QueryLexeme::Or || peek().kind == QueryLexeme::And)
            throw QueryError("'" + peek().text + "' at column " + std::to_string(peek().column) +
                                 " needs a term before it",
                             "remove it, or write a term on both sides");
        QueryNode n;
        n.kind = QueryNode::And;
        n.kids.push_back(parseUnary());
        while (!startsNothing(peek()) || peek().kind == QueryLexeme::And) {
            if (peek().kind == QueryLexeme::And) {
                const QueryLexeme &op = take();
                if (startsNothing(peek()))
                    throw QueryError("'AND' at column " + std::to_string(op.column) +
                                         " needs a term after it",
                                     "remove the trailing AND");
                n.explicitAnd = true;
            }
            n.kids.push_back(parseUnary());
        }
        return n.kids.size() == 1 ? std::move(n.kids.front()) : n;
    }

    QueryNode parseUnary()
    {
        if (peek().kind == QueryLexeme::Not) {
            const QueryLexeme &op = take();
            if (startsNothing(peek()) || peek().kind == QueryLexeme::Not)
                throw QueryError("'NOT' at column " + std::to_string(op.column) +
                                     " needs a term after it",
                                 "e.g. 割接 NOT 回退");
            QueryNode n;
            n.kind = QueryNode::Not;
            n.column = op.column;
            n.kids.push_back(parseUnary());
            return n;
        }
        return parsePrimary();
    }

    QueryNode parsePrimary()
    {
        const QueryLexeme lx = take();
        QueryNode n;
        n.column = lx.column;
        switch (lx.kind) {
        case QueryLexeme::LParen: {
            if (peek().kind == QueryLexeme::RParen)
                throw QueryError("empty parentheses at column " + std::to_string(lx.column),
                                 "remove them");
            n = parseOr();
            if (peek().kind != QueryLexeme::RParen)
                throw QueryError("the '(' at column " + std::to_string(lx.column) +
                                     " is never closed",
                                 "add ')': " + std::string(query_) + ")");
            take();
            return n;
        }
        case QueryLexeme::Word:
            n.kind = QueryNode::Text;
            n.text = lx.text;
            break;
        case QueryLexeme::Phrase:
            n.kind = QueryNode::Phrase;
            n.text = lx.text;
            break;
        case QueryLexeme::Field:
            n.kind = QueryNode::Field;
            n.field = lx.field;
            n.text = lx.text;
            break;
        case QueryLexeme::RParen:
            throw QueryError("unmatched ')' at column " + std::to_string(lx.column),
                             "remove it, or add '(' where the group starts");
        default:
            throw QueryError("unexpected '" + lx.text + "' at column " + std::to_string(lx.column),
                             "remove it");
        }
        if (lx.negated) {
            QueryNode neg;
            neg.kind = QueryNode::Not;
            neg.column = lx.column;
            neg.kids.push_back(std::move(n));
            return neg;
        }
        return n;
    }

    std::vector<QueryLexeme> lx_;
    std::string_view query_;
    std::size_t pos_ = 0;
};

} // namespace

QueryNode parseQuery(std::vector<QueryLexeme> lexemes, std::string_view query)
{
    return Parser(std::move(lexemes), query).parse();
}

std::string describeQuery(const QueryNode &node)
{
    const auto quoted = [](const std::string &s) { return "\"" + s + "\""; };
    switch (node.kind) {
    case QueryNode::Text:
        return node.text;
    case QueryNode::Phrase:
        return quoted(node.text);
    case QueryNode::Field:
        return node.field + ":" +
               (node.text.find(' ') == std::string::npos ? node.text : quoted(node.text));
    case QueryNode::Group:
        return "{" + node.text + "}";
    case QueryNode::And:
    case QueryNode::Or:
    case QueryNode::Not:
        break;
    }
    std::string s = node.kind == QueryNode::And  ? (node.explicitAnd ? "(AND!" : "(AND")
                    : node.kind == QueryNode::Or ? "(OR"
                                                 : "(NOT";
    for (const QueryNode &k : node.kids)
        s += " " + describeQuery(k);
    return s + ")";
}

} // namespace kb::search
