// The record format: splitting, byte-preserving edits, validation helpers.
#include "core/frontmatter.h"
#include "core/record.h"
#include "core/recordedit.h"
#include "core/recordid.h"
#include "core/schema.h"
#include "core/textcheck.h"
#include "core/validator.h"

#include <gtest/gtest.h>

#include <set>

using namespace kb;

TEST(FrontMatter, EditKeepsEveryUntouchedByte)
{
    const std::string text =
        "---\n# a comment the user wrote\nid: x1\ntitle:   Spaced  # note\n"
        "zeta: 1\nalpha: [a, b]\nunknown_key: {nested: true}\n---\nBody *md*\n";
    std::string out, error;
    ASSERT_TRUE(editRecordText(text, {{"zeta", "2"}}, "", &out, &error)) << error;
    EXPECT_EQ(out, "---\n# a comment the user wrote\nid: x1\ntitle:   Spaced  # note\n"
                   "zeta: 2\nalpha: [a, b]\nunknown_key: {nested: true}\n---\nBody *md*\n");
}

TEST(FrontMatter, EditKeepsTrailingCommentAndReplacesBlockLists)
{
    const std::string text = "---\nstatus: proposed  # why\ntags:\n  - a\n  - b\nnext: 1\n---\n";
    std::string out, error;
    ASSERT_TRUE(editRecordText(text, {{"status", "accepted"}, {"tags", "[c]"}}, "", &out, &error));
    EXPECT_EQ(out, "---\nstatus: accepted  # why\ntags: [c]\nnext: 1\n---\n");
}

TEST(FrontMatter, MissingKeyIsAppendedAndCrlfIsKept)
{
    const std::string text = "---\r\nid: x\r\n---\r\nbody\r\n";
    std::string out, error;
    ASSERT_TRUE(editRecordText(text, {{"owner", "王工"}}, "log entry", &out, &error));
    EXPECT_EQ(out, "---\r\nid: x\r\nowner: 王工\r\n---\r\nbody\r\n\r\nlog entry\r\n");
}

TEST(FrontMatter, ParseAndRewriteWithNoChangeIsIdentical)
{
    const std::string text = "\xEF\xBB\xBF---\nid: a\ntype: lesson\n---\n# Title\n";
    ParseResult p = parseRecord("a.md", text);
    ASSERT_TRUE(p.record);
    EXPECT_TRUE(p.record->span.bom);
    std::string out, error;
    ASSERT_TRUE(editRecordText(p.record->text, {}, "", &out, &error));
    EXPECT_EQ(out, text);
    EXPECT_EQ(p.record->id(), "a");
}

TEST(FrontMatter, QuotesOnlyWhatYamlWouldMisread)
{
    EXPECT_EQ(yamlScalar("割接 方案"), "割接 方案");
    EXPECT_EQ(yamlScalar("a: b"), "\"a: b\"");
    EXPECT_EQ(yamlScalar("- x"), "\"- x\"");
    EXPECT_EQ(yamlScalar("line\nbreak"), "\"line\\nbreak\"");
    EXPECT_EQ(yamlFlowList({"a", "b,c"}), "[a, \"b,c\"]");
    // What we write parses back to the same value.
    for (std::string v : {"x: y", "#hash", "quote\"d", "[x]", "  pad "}) {
        std::string text = "---\nk: " + yamlScalar(v) + "\n---\n";
        ParseResult p = parseRecord("k.md", text);
        ASSERT_TRUE(p.record) << v;
        EXPECT_EQ(p.record->value("k"), v);
    }
}

TEST(FrontMatter, ErrorsCarryTheLine)
{
    ParseResult p = parseRecord("b.md", "---\nid: a\ntitle: [unclosed\nx: 1\n---\n");
    ASSERT_FALSE(p.record);
    ASSERT_EQ(p.findings.size(), 1u);
    EXPECT_GE(p.findings[0].line, 3);
    EXPECT_NE(p.findings[0].message.find("invalid YAML"), std::string::npos);

    p = parseRecord("c.md", "---\nid: a\nid: b\n---\n");
    ASSERT_FALSE(p.record);
    EXPECT_EQ(p.findings[0].line, 3);

    p = parseRecord("d.md", "---\nk: " + std::string(200, '[') + "\n---\n");
    ASSERT_FALSE(p.record);
    EXPECT_NE(p.findings[0].message.find("nests deeper"), std::string::npos);
}

TEST(TextCheck, Utf8)
{
    EXPECT_EQ(firstInvalidUtf8("割接 ok"), std::string::npos);
    EXPECT_EQ(firstInvalidUtf8("ab\xC0\xAF"), 2u);     // overlong
    EXPECT_EQ(firstInvalidUtf8("ab\xED\xA0\x80"), 2u); // surrogate
    EXPECT_EQ(firstInvalidUtf8("\xE5\x89"), 0u);       // truncated
    EXPECT_EQ(lineOfOffset("a\nb\nc", 4), 3);
}

TEST(Schema, Dates)
{
    EXPECT_TRUE(isIsoDate("2024-02-29"));
    EXPECT_FALSE(isIsoDate("2023-02-29"));
    EXPECT_FALSE(isIsoDate("2024-13-01"));
    EXPECT_FALSE(isIsoDate("2024-1-01"));
    EXPECT_FALSE(isIsoDate("yesterday"));
}

TEST(RecordId, ShortUniqueAndValid)
{
    std::set<std::string> ids;
    for (int i = 0; i < 2000; ++i) {
        std::string id = newRecordId("les", "2026-11-22");
        EXPECT_TRUE(isValidId(id)) << id;
        EXPECT_EQ(id.size(), std::string("les-20261122-abcdef").size());
        ids.insert(id);
    }
    // 2000 draws from 31^6 ids: one collision has odds of about 1 in 440 (the birthday
    // bound), three or more about 1 in 500 million. A broken or low-entropy generator
    // collides far more, so allow two and never flake.
    EXPECT_GE(ids.size(), 1998u);
}
