// The query language at its own levels: the lexer's pieces, the parser's tree (printed
// with describeQuery) and the builder's Xapian query, with every error message a user
// can get. The search tests (test_search.cpp) check what these mean for results.
#include "core/schema.h"
#include "core/vocabulary.h"
#include "indexer/indexformat.h"
#include "indexer/indexschema.h"
#include "indexer/lexicon.h"
#include "indexer/querybuilder.h"
#include "indexer/queryerror.h"
#include "indexer/querylexer.h"
#include "indexer/queryparser.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <string>
#include <vector>

using namespace kb::search;

namespace {

// A few fields, as a schema would name them.
class TestFields : public QueryFields {
public:
    std::string canonical(const std::string &name) const override
    {
        for (const char *f : {"customer", "status", "date", "tags"})
            if (name == f)
                return f;
        if (name == "tag" || name == "标签")
            return "tags";
        return {};
    }
    std::vector<std::string> names() const override
    {
        return {"customer", "status", "date", "tags"};
    }
    std::string example(const std::string &field) const override { return field + "-example"; }
};

std::string tree(const std::string &query)
{
    return describeQuery(parseQuery(lexQuery(query, TestFields()), query));
}

// The error a query gets, message and suggestion; "" when it parses.
std::string errorOf(const std::string &query)
{
    try {
        tree(query);
    } catch (const QueryError &e) {
        return std::string(e.what()) + " | " + e.suggestion;
    }
    return {};
}

std::vector<QueryLexeme> lex(const std::string &query)
{
    return lexQuery(query, TestFields());
}

} // namespace

TEST(QueryLexer, SplitsWordsPhrasesFiltersAndOperatorsWithTheirColumns)
{
    const auto l = lex("割接 \"site survey\" customer:tm (a OR b)");
    ASSERT_EQ(l.size(), 9u);
    EXPECT_EQ(l[0].kind, QueryLexeme::Word);
    EXPECT_EQ(l[0].text, "割接");
    EXPECT_EQ(l[0].column, 1);
    EXPECT_EQ(l[1].kind, QueryLexeme::Phrase);
    EXPECT_EQ(l[1].text, "site survey");
    EXPECT_EQ(l[1].column, 4); // columns count code points, not bytes
    EXPECT_EQ(l[2].kind, QueryLexeme::Field);
    EXPECT_EQ(l[2].field, "customer");
    EXPECT_EQ(l[2].text, "tm");
    EXPECT_EQ(l[3].kind, QueryLexeme::LParen);
    EXPECT_EQ(l[5].kind, QueryLexeme::Or);
    EXPECT_EQ(l[7].kind, QueryLexeme::RParen);
    EXPECT_EQ(l[8].kind, QueryLexeme::End);
}

TEST(QueryLexer, ReadsEveryQuoteFullWidthPunctuationAndOperatorSpelling)
{
    for (const std::string q :
         {"“回退 预案”", "「回退 预案」", "『回退 预案』", "\"回退 预案\"", "“回退 预案\""}) {
        const auto l = lex(q);
        ASSERT_EQ(l.size(), 2u) << q;
        EXPECT_EQ(l[0].kind, QueryLexeme::Phrase) << q;
        EXPECT_EQ(l[0].text, "回退 预案") << q;
    }
    const auto full = lex("（割接）customer：tm");
    ASSERT_EQ(full.size(), 5u);
    EXPECT_EQ(full[0].kind, QueryLexeme::LParen);
    EXPECT_EQ(full[2].kind, QueryLexeme::RParen);
    EXPECT_EQ(full[3].kind, QueryLexeme::Field);
    EXPECT_EQ(full[3].text, "tm");
    const auto ops = lex("a && b || c AND d OR e NOT f");
    const std::vector<QueryLexeme::Kind> kinds{
        QueryLexeme::Word, QueryLexeme::And, QueryLexeme::Word, QueryLexeme::Or,
        QueryLexeme::Word, QueryLexeme::And, QueryLexeme::Word, QueryLexeme::Or,
        QueryLexeme::Word, QueryLexeme::Not, QueryLexeme::Word, QueryLexeme::End};
    ASSERT_EQ(ops.size(), kinds.size());
    for (std::size_t i = 0; i < kinds.size(); ++i)
        EXPECT_EQ(ops[i].kind, kinds[i]) << i;
    // Lower-case operators are words: "or" is searched, not obeyed.
    EXPECT_EQ(lex("a or b")[1].kind, QueryLexeme::Word);
}

TEST(QueryLexer, SignsQuotedValuesAndAliasesOfFields)
{
    const auto l = lex("-回退 +割接 -\"rollback plan\" -status:done tag:\"night shift\" 标签:x");
    ASSERT_EQ(l.size(), 7u);
    EXPECT_TRUE(l[0].negated);
    EXPECT_EQ(l[0].text, "回退");
    EXPECT_FALSE(l[1].negated);
    EXPECT_EQ(l[1].text, "割接");
    EXPECT_EQ(l[2].kind, QueryLexeme::Phrase);
    EXPECT_TRUE(l[2].negated);
    EXPECT_EQ(l[3].kind, QueryLexeme::Field);
    EXPECT_TRUE(l[3].negated);
    EXPECT_EQ(l[4].field, "tags");
    EXPECT_EQ(l[4].text, "night shift");
    EXPECT_EQ(l[5].field, "tags");
    // A colon after a name that is no field is part of the word (a URL, a time).
    const auto url = lex("http://example.com 10:30");
    EXPECT_EQ(url[0].kind, QueryLexeme::Word);
    EXPECT_EQ(url[0].text, "http://example.com");
    EXPECT_EQ(url[1].text, "10:30");
}

TEST(QueryLexer, ErrorsNameTheColumnAndSayHowToFixIt)
{
    EXPECT_EQ(errorOf("割接 \"回退 预案"),
              "unclosed quote: the phrase starting at column 4 has no closing quote | add the "
              "closing quote: 割接 \"回退 预案\"");
    EXPECT_EQ(errorOf("「回退"), "unclosed quote: the phrase starting at column 1 has no closing "
                                 "quote | add the closing quote: 「回退」");
    EXPECT_EQ(errorOf("a customer:"),
              "'customer:' at column 3 needs a value | for example customer:customer-example");
    EXPECT_EQ(errorOf("custmer:tm"),
              "unknown field 'custmer' at column 1 | did you mean customer:tm ?");
}

TEST(QueryParser, PrecedenceIsOrThenAndThenNot)
{
    EXPECT_EQ(tree("a b"), "(AND a b)");
    EXPECT_EQ(tree("a OR b c"), "(OR a (AND b c))");
    EXPECT_EQ(tree("a b OR c"), "(OR (AND a b) c)");
    EXPECT_EQ(tree("a OR b OR c"), "(OR a b c)");
    EXPECT_EQ(tree("NOT a b"), "(AND (NOT a) b)");
    EXPECT_EQ(tree("a NOT b OR c"), "(OR (AND a (NOT b)) c)");
    EXPECT_EQ(tree("NOT NOT_a"), "(NOT NOT_a)");
    EXPECT_EQ(tree("(a OR b) c"), "(AND (OR a b) c)");
    EXPECT_EQ(tree("a (b OR (c d))"), "(AND a (OR b (AND c d)))");
    EXPECT_EQ(tree("a AND b"), "(AND! a b)");
    EXPECT_EQ(tree("-a b"), "(AND (NOT a) b)");
    EXPECT_EQ(tree("a -\"b c\""), "(AND a (NOT \"b c\"))");
    EXPECT_EQ(tree("single"), "single");
}

TEST(QueryParser, FieldsAreLeavesOfTheTree)
{
    EXPECT_EQ(tree("割接 customer:tm status:done"), "(AND 割接 customer:tm status:done)");
    EXPECT_EQ(tree("customer:tm OR customer:cm"), "(OR customer:tm customer:cm)");
    EXPECT_EQ(tree("-status:done"), "(NOT status:done)");
    EXPECT_EQ(tree("tag:\"night shift\""), "tags:\"night shift\"");
    EXPECT_EQ(tree("date:2024-01..2024-06"), "date:2024-01..2024-06");
}

TEST(QueryParser, ErrorsNameTheOperatorAndItsColumn)
{
    EXPECT_EQ(errorOf(""), "the query is empty | type a word, e.g. 割接 or cutover");
    EXPECT_EQ(errorOf("   "), "the query is empty | type a word, e.g. 割接 or cutover");
    EXPECT_EQ(errorOf("a OR"),
              "'OR' at column 3 needs a term after it | write a term on both sides, e.g. 割接 OR "
              "cutover");
    EXPECT_EQ(errorOf("OR a"),
              "'OR' at column 1 needs a term before it | remove it, or write a term on both sides");
    EXPECT_EQ(errorOf("a AND"),
              "'AND' at column 3 needs a term after it | remove the trailing AND");
    EXPECT_EQ(errorOf("a NOT"), "'NOT' at column 3 needs a term after it | e.g. 割接 NOT 回退");
    EXPECT_EQ(errorOf("NOT NOT a"), "'NOT' at column 1 needs a term after it | e.g. 割接 NOT 回退");
    EXPECT_EQ(errorOf("a ()"), "empty parentheses at column 3 | remove them");
    EXPECT_EQ(errorOf("(a b"), "the '(' at column 1 is never closed | add ')': (a b)");
    EXPECT_EQ(errorOf("a b)"),
              "unmatched ')' at column 4 | remove it, or add '(' where the group starts");
    EXPECT_EQ(errorOf(") a"),
              "unmatched ')' at column 1 | remove it, or add '(' where the group starts");
    EXPECT_EQ(errorOf("a (OR b)"),
              "'OR' at column 4 needs a term before it | remove it, or write a term on both sides");
}

namespace {

// A schema of one record type with a date, an enum and a plain filter field.
class QueryBuilderTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        kb::FieldSpec due;
        due.name = "due";
        due.type = kb::FieldType::Date;
        due.filter = due.sort = true;
        kb::FieldSpec status;
        status.name = "status";
        status.type = kb::FieldType::Enum;
        status.values = {"proposed", "in-progress", "implemented"};
        status.prefix = "XSTATUS";
        status.valueLabels = {{"implemented", {"已实施", "Implemented"}}};
        status.filter = true;
        type.pluginId = "improvements";
        type.type = "improvement";
        type.idPrefix = "imp";
        type.labelEn = "Improvement";
        type.fields = {due, status};
        schema = IndexSchema::build({&type}, vocab);
        lexicon.build(vocab);
    }

    ParsedQuery parse(const std::string &q) const { return QueryBuilder(schema, lexicon).parse(q); }
    std::string strict(const std::string &q) const { return parse(q).strict.get_description(); }
    std::string errorOf(const std::string &q) const
    {
        try {
            parse(q);
        } catch (const QueryError &e) {
            return std::string(e.what()) + " | " + e.suggestion;
        }
        return {};
    }

    kb::TypeSchema type;
    kb::Vocabularies vocab;
    IndexSchema schema;
    Lexicon lexicon;
};

} // namespace

TEST_F(QueryBuilderTest, DatesAsYearMonthDayAndRangesOfEachForm)
{
    const std::string y = prefix::kYear, m = prefix::kMonth, d = prefix::kDay;
    // `date` ranges become the year, month and day terms every record has.
    EXPECT_NE(strict("date:2024").find(y + "2024"), std::string::npos) << strict("date:2024");
    EXPECT_NE(strict("date:2024-03").find(m + "202403"), std::string::npos);
    EXPECT_NE(strict("date:2024-03-05").find(d + "20240305"), std::string::npos);
    const std::string range = strict("date:2023-11..2024");
    EXPECT_NE(range.find(m + "202311"), std::string::npos) << range;
    EXPECT_NE(range.find(m + "202312"), std::string::npos) << range;
    EXPECT_NE(range.find(y + "2024"), std::string::npos) << range;
    // Open ranges and other date fields compare the value slot.
    EXPECT_NE(strict("date:2024..").find("VALUE_GE"), std::string::npos);
    EXPECT_NE(strict("date:..2024").find("VALUE_LE"), std::string::npos);
    EXPECT_NE(strict("due:2024-01..2024-06").find("VALUE_RANGE"), std::string::npos);
    EXPECT_NE(strict("due:2024/01/31").find("20240131"), std::string::npos);
    EXPECT_NE(strict("year:2010").find(y + "2010"), std::string::npos);
}

TEST_F(QueryBuilderTest, BadDatesAndRangesSayWhatIsWrong)
{
    EXPECT_EQ(errorOf("due:2024-02-30"),
              "'2024-02-30' in due:2024-02-30 is not a date | use YYYY, YYYY-MM or YYYY-MM-DD, "
              "and a..b for a range, e.g. due:2024-01..2024-06");
    EXPECT_EQ(errorOf("due:2024-13"), "'2024-13' in due:2024-13 is not a date | use YYYY, YYYY-MM "
                                      "or YYYY-MM-DD, and a..b for a range, e.g. "
                                      "due:2024-01..2024-06");
    EXPECT_NE(errorOf("due:2024/02/30"), "") << "slashes are read as dashes are";
    EXPECT_EQ(errorOf("date:2024..2023"), "the range date:2024..2023 ends before it starts | swap "
                                          "the bounds: date:2023..2024");
    EXPECT_EQ(errorOf("date:.."), "date:.. has no bounds | e.g. date:2024-01..2024-06");
    EXPECT_EQ(errorOf("year:10"), "year:10 is not a year | e.g. year:2010");
}

TEST_F(QueryBuilderTest, EnumValuesMatchExactlyOrByPrefixAndUnknownOnesExplainThemselves)
{
    const std::string term = booleanTerm(termPrefix("XSTATUS"), "implemented");
    EXPECT_NE(strict("status:Implemented").find(term), std::string::npos);
    EXPECT_NE(strict("status:impl").find(term), std::string::npos);
    EXPECT_NE(strict("status:已实施").find(term), std::string::npos); // as the web labels it
    const ParsedQuery none = parse("status:implmented");
    EXPECT_TRUE(none.cannotMatch);
    ASSERT_EQ(none.notes.size(), 1u);
    EXPECT_EQ(none.notes[0], "no status is 'implmented'. Did you mean status:implemented ?");
    const ParsedQuery type = parse("type:lesson");
    EXPECT_TRUE(type.cannotMatch);
    EXPECT_NE(strict("type:improvement").find(std::string(prefix::kType) + "improvement"),
              std::string::npos);
}

TEST_F(QueryBuilderTest, WhatAQueryExcludesIsNotHighlightedNorCounted)
{
    const ParsedQuery q = parse("cutover -rollback");
    EXPECT_TRUE(q.hasText);
    EXPECT_EQ(q.contentPieces, 1);
    EXPECT_EQ(q.highlight, std::vector<std::string>{"cutover"});
    EXPECT_NE(q.strict.get_description().find("AND_NOT"), std::string::npos);
    // Filters alone are no text: ranked by date, not relevance.
    EXPECT_FALSE(parse("status:proposed").hasText);
    // Four content words make a question, ranked by how well records match all of them.
    EXPECT_FALSE(parse("cutover rollback plan").question);
    EXPECT_TRUE(parse("cutover rollback plan failed").question);
    // Stop words are dropped beside content words, kept when they are all there is.
    EXPECT_EQ(parse("how the cutover").contentPieces, 1);
    EXPECT_TRUE(parse("how the cutover").question);
    EXPECT_EQ(parse("the").contentPieces, 1);
}

TEST_F(QueryBuilderTest, OversizedQueriesAreRefusedWithTheLimit)
{
    EXPECT_EQ(errorOf(std::string(4097, 'a')), "the query is longer than 4096 bytes | shorten it");
    std::string many;
    for (int i = 0; i < 101; ++i)
        many += "w" + std::to_string(i) + " ";
    EXPECT_EQ(errorOf(many), "the query has 101 words and filters; kb takes at most 100 | keep "
                             "the words that matter");
    EXPECT_EQ(errorOf("NOT a"), "");
    EXPECT_EQ(errorOf("-a -b"), "");
}

TEST_F(QueryBuilderTest, AChineseRunOfOnlyStopWordsAndFunctionCharactersStillSearchesItself)
{
    // Found by fuzz_query_parse (UBSan): every piece was skipped and an empty list was
    // combined into a query.
    for (const std::string q : {"怎样跟怎样跟", "怎么和怎么和", "如何跟"}) {
        const ParsedQuery p = parse(q);
        EXPECT_TRUE(p.hasText) << q;
        EXPECT_NE(p.strict.get_description(), Xapian::Query().get_description()) << q;
        EXPECT_NE(p.relaxed.get_description(), Xapian::Query().get_description()) << q;
    }
}

TEST_F(QueryBuilderTest, EveryLeafItMakesHasUnitWqfSoMemoryRankingMayRankIt)
{
    EXPECT_TRUE(parse("割接 回退 cutover \"site survey\"").unitWqf);
    EXPECT_FALSE(ParsedQuery().unitWqf); // a query made elsewhere must say so itself
}
