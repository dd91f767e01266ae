// The four record types and the reports, on small fixtures made here, plus the shipped
// content passing `kb check`.
#include "kbrunner.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace kbtest;

namespace {

const std::map<std::string, std::string> kToday{{"KB_TODAY", "2026-11-22"},
                                                {"KB_USER", "李娜 <lina@example.com>"}};

std::string improvement(const std::string &id, const std::string &status, const std::string &extra)
{
    return "---\nid: " + id + "\ntype: improvement\ntitle: Fix " + id +
           "\ndate: 2026-01-01\nsource: customer-complaint\nstatus: " + status +
           "\ncustomer: tm-malaysia\ntouchpoint: [tp07-install-cutover]\n" + extra +
           "---\n## 问题描述\n\nx\n";
}

struct RecordTypes : ::testing::Test {
    TempDir dir;
    void SetUp() override
    {
        initRoot(dir);
        dir.write("vocab/competitors.yaml", "- {id: vendor-a, zh: 友商A, en: Vendor A}\n");
    }
    RunResult kb(const std::vector<std::string> &args) { return runKb(args, dir.path(), kToday); }
};

} // namespace

TEST_F(RecordTypes, ImprovementMovesOnlyAlongTheLoop)
{
    dir.write("improvements/i1.md", improvement("i1", "proposed", ""));
    RunResult r = kb({"improvements", "status", "i1", "closed"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("cannot move from 'proposed' to 'closed'; allowed: accepted, rejected"),
              std::string::npos)
        << r.err;
    // accepted needs an owner and a due date
    r = kb({"improvements", "status", "i1", "accepted"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("needs an owner"), std::string::npos) << r.err;
    ASSERT_EQ(kb({"edit", "i1", "--set", "owner=王磊", "--set", "due=2027-01-31"}).exitCode, 0);
    r = kb({"improvements", "status", "i1", "accepted", "--note", "agreed in review"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string text = dir.read("improvements/i1.md");
    EXPECT_NE(text.find("status: accepted\n"), std::string::npos);
    EXPECT_NE(text.find("updated_by: 李娜\n"), std::string::npos) << text;
    EXPECT_NE(text.find("## 跟进记录 / Follow-up log\n\n- 2026-11-22 李娜: proposed → accepted: "
                        "agreed in review\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(kb({"check"}).exitCode, 0);
}

TEST_F(RecordTypes, ClosingNeedsVerificationEffectAndCustomerFeedback)
{
    const std::string verified = "owner: a\ndue: 2027-01-01\nverification_criteria: no repeat\n"
                                 "verified_by: b\nverified_on: 2026-10-01\n";
    dir.write("improvements/i2.md",
              improvement("i2", "verified", verified + "effective: pending\n"));
    RunResult r = kb({"improvements", "status", "i2", "closed"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("effective: yes"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("customer_informed"), std::string::npos) << r.err;
    dir.write("improvements/i2.md",
              improvement("i2", "verified",
                          verified + "effective: yes\ncustomer_informed: 2026-10-05\n"));
    EXPECT_EQ(kb({"improvements", "status", "i2", "closed"}).exitCode, 0);
    // A closed record edited by hand into an illegal state is caught by check.
    dir.write("improvements/i3.md", improvement("i3", "closed", "owner: a\n"));
    r = kb({"check"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("improvements/i3.md:"), std::string::npos);
    EXPECT_NE(r.out.find("'closed' needs verified_on"), std::string::npos) << r.out;
}

TEST_F(RecordTypes, OverdueListedByOwnerAndWarnedByCheck)
{
    dir.write("improvements/late.md",
              improvement("late", "in-progress", "owner: 张三\ndue: 2026-01-31\n"));
    dir.write("improvements/ok.md",
              improvement("ok", "in-progress", "owner: 李四\ndue: 2027-01-31\n"));
    RunResult r = kb({"improvements", "overdue", "--by", "owner"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("张三 (1)\n  late  due 2026-01-31"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("李四"), std::string::npos);
    RunResult json = kb({"improvements", "overdue", "--json"});
    EXPECT_EQ(QJsonDocument::fromJson(QByteArray::fromStdString(json.out)).array().size(), 1);
    RunResult check = kb({"check"});
    EXPECT_EQ(check.exitCode, 0); // overdue is a warning...
    EXPECT_NE(check.out.find("late.md:"), std::string::npos);
    EXPECT_NE(check.out.find("warning: overdue since 2026-01-31"), std::string::npos) << check.out;
    EXPECT_EQ(kb({"check", "--strict"}).exitCode, 1); // ...that --strict turns into a failure
}

TEST_F(RecordTypes, BattlecardNewestFirstWithStaleMarked)
{
    auto intel = [&](const std::string &id, const std::string &observed, const std::string &valid,
                     const std::string &lawful) {
        dir.write(
            "competitors/" + id + ".md",
            "---\nid: " + id + "\ntype: intel\ntitle: Intel " + id + "\ndate: " + observed +
                "\ncompetitor: 友商A\nkind: pricing\nobserved: " + observed +
                "\nvalid_until: " + valid +
                "\nsource_type: press\nsource_ref: press release\nreliability: B\ncredibility: 2\n"
                "claim: fact\nlawful_source: " +
                lawful + "\n---\n");
    };
    intel("old", "2024-01-01", "2024-06-01", "true");
    intel("new", "2026-10-01", "2027-10-01", "true");
    RunResult r = kb({"competitors", "card", "Vendor A"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_LT(r.out.find("Intel new"), r.out.find("Intel old"));
    // Stale intel is flagged with the date it stopped being valid, grades are words.
    EXPECT_NE(r.out.find("已过期 / Stale** (2024-06-01)"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("Stale** (2027"), std::string::npos);
    EXPECT_NE(r.out.find("B2 通常可靠 · 很可能属实 / usually reliable · probably true"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("## 价格与报价 / Pricing and offers"), std::string::npos);
    // Restricted intel is counted, not shown, unless the reader says they are cleared.
    intel("secret", "2026-10-03", "2027-10-01", "true");
    std::string secret = dir.read("competitors/secret.md");
    secret.insert(secret.rfind("---\n"), "confidentiality: restricted\n");
    dir.write("competitors/secret.md", secret);
    RunResult withheld = kb({"competitors", "card", "Vendor A"});
    EXPECT_EQ(withheld.out.find("Intel secret"), std::string::npos) << withheld.out;
    EXPECT_NE(withheld.out.find("1 restricted record(s) withheld"), std::string::npos);
    RunResult cleared = kb({"competitors", "card", "Vendor A", "--include-restricted"});
    EXPECT_NE(cleared.out.find("Intel secret"), std::string::npos) << cleared.out;
    std::filesystem::remove(dir.file("competitors/secret.md"));
    intel("bad", "2026-10-02", "2027-10-01", "false");
    RunResult check = kb({"check"});
    EXPECT_EQ(check.exitCode, 1);
    EXPECT_NE(check.out.find("competitors/bad.md:"), std::string::npos);
    EXPECT_NE(check.out.find("lawful source"), std::string::npos) << check.out;
}

TEST_F(RecordTypes, TouchpointReportAndBriefHonourConfidentiality)
{
    dir.write("lessons/l1.md",
              "---\nid: l1\ntype: lesson\ntitle: Cutover lesson\ndate: 2020-01-01\n"
              "customer: 马来西亚电信\ntouchpoint: [tp07-install-cutover]\n---\n");
    dir.write("lessons/l2.md", "---\nid: l2\ntype: lesson\ntitle: Secret lesson\ndate: 2020-01-02\n"
                               "customer: tm-malaysia\nconfidentiality: restricted\n"
                               "touchpoint: [tp07-install-cutover]\n---\n");
    dir.write("cases/c1.md", "---\nid: c1\ntype: case\ntitle: Proposal case\ndate: 2020-01-01\n"
                             "customer: tm-malaysia\ntouchpoint: [tp01-proposal]\n---\n");
    dir.write("improvements/i1.md", improvement("i1", "proposed", ""));
    dir.write("improvements/i2.md", improvement("i2", "rejected", "rejection_reason: no\n"));
    RunResult r = kb({"report", "touchpoints", "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const QJsonArray rows = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).array();
    ASSERT_EQ(rows.size(), 2);
    EXPECT_EQ(rows[0].toObject()["touchpoint"].toString(), "tp01-proposal");
    EXPECT_EQ(rows[0].toObject()["cases"].toInt(), 1);
    EXPECT_EQ(rows[1].toObject()["lessons"].toInt(), 2);
    EXPECT_EQ(rows[1].toObject()["open_improvements"].toInt(), 1);

    RunResult brief = kb({"brief", "--customer", "Telekom Malaysia"});
    ASSERT_EQ(brief.exitCode, 0) << brief.err;
    EXPECT_NE(brief.out.find("Cutover lesson"), std::string::npos);
    EXPECT_NE(brief.out.find("Proposal case"), std::string::npos);
    EXPECT_EQ(brief.out.find("Secret lesson"), std::string::npos);
    EXPECT_NE(brief.out.find("1 restricted record(s) withheld"), std::string::npos) << brief.out;
    RunResult cleared = kb({"brief", "--customer", "马来西亚电信", "--include-restricted"});
    EXPECT_NE(cleared.out.find("Secret lesson"), std::string::npos);
    EXPECT_EQ(kb({"brief"}).exitCode, 2);
}

TEST_F(RecordTypes, EveryTypeTemplatePassesCheckOnceRequiredFieldsAreFilled)
{
    struct Filled {
        std::string type;
        std::vector<std::string> args;
    };
    const std::vector<Filled> types = {
        {"lesson", {"--touchpoint", "tp01-proposal"}},
        {"case", {"--customer", "tm-malaysia", "--touchpoint", "tp01-proposal"}},
        {"intel",
         {"--competitor", "vendor-a", "--kind", "offer", "--observed", "2026-11-01",
          "--source_type", "press", "--source_ref", "press release", "--claim", "inference",
          "--lawful_source", "true"}},
        {"improvement", {"--source", "internal"}},
    };
    for (const auto &t : types) {
        std::vector<std::string> args{"new", t.type, "--title", "A " + t.type};
        args.insert(args.end(), t.args.begin(), t.args.end());
        RunResult r = kb(args);
        EXPECT_EQ(r.exitCode, 0) << t.type << ": " << r.err;
    }
    RunResult check = kb({"check"});
    EXPECT_EQ(check.exitCode, 0) << check.out;
}

TEST(ShippedContent, PassesCheck)
{
    RunResult r = runKb({"--root", std::string(KB_SOURCE_DIR) + "/content", "check", "--json"},
                        KB_SOURCE_DIR);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
    EXPECT_GE(o["files"].toInt(), 40);
    for (const auto &f : o["findings"].toArray())
        EXPECT_EQ(f.toObject()["severity"].toString(), "warning")
            << f.toObject()["path"].toString().toStdString() << ": "
            << f.toObject()["message"].toString().toStdString();
}

TEST_F(RecordTypes, LessonAndCaseCrossFieldRules)
{
    dir.write("lessons/l.md", "---\nid: l\ntype: lesson\ntitle: t\ndate: 2020-01-01\n"
                              "touchpoint: [tp01-proposal]\noccurred: 2020-02-01\n---\n");
    dir.write("cases/c.md",
              "---\nid: c\ntype: case\ntitle: t\ndate: 2020-01-01\ncustomer: tm-malaysia\n"
              "touchpoint: [tp01-proposal]\nreference_status: named\n"
              "confidentiality: restricted\nlast_verified: 2026-01-01\nyear: 1850\n---\n");
    RunResult r = kb({"check"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("lessons/l.md:7: occurred (2020-02-01) is after the filing date"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("cases/c.md:8: a restricted case cannot be a named external reference"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("nobody is named as verifier"), std::string::npos);
    EXPECT_NE(r.out.find("year 1850 is not plausible"), std::string::npos);
}

// The dashboard reads an improvement's history from its follow-up log: before a move the
// old status counts, after it the new one; overdue and days-to-close follow the files.
TEST_F(RecordTypes, TheDashboardCountsEachMonthWithTheStatusTheLogGivesIt)
{
    dir.write("improvements/a.md",
              improvement("imp-a", "accepted", "due: 2026-03-31\nowner: 王磊\n"));
    // Moved to accepted on 2026-10-05 (a log line as `kb improvement status` writes it).
    std::string a = dir.read("improvements/a.md");
    a += "\n## 跟进记录 / Follow-up log\n\n- 2026-10-05 王磊: proposed → accepted: 评审通过\n";
    dir.write("improvements/a.md", a);
    RunResult r = kb({"dashboard", "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const QJsonArray charts = QJsonDocument::fromJson(QByteArray::fromStdString(r.out))
                                  .object()
                                  .value("charts")
                                  .toArray();
    ASSERT_EQ(charts.size(), 5);
    const QJsonObject months = charts[0].toObject();
    const QJsonArray series = months.value("series").toArray();
    const auto at = [&](const std::string &month, const std::string &status) {
        int k = 0;
        while (k < series.size() &&
               series[k].toObject().value("key").toString().toStdString() != status)
            ++k;
        for (const auto &bar : months.value("bars").toArray())
            if (bar.toObject().value("en").toString().toStdString() == month)
                return bar.toObject().value("values").toArray()[k].toInt();
        return -1;
    };
    EXPECT_EQ(at("2026-09", "proposed"), 1);
    EXPECT_EQ(at("2026-09", "accepted"), 0);
    EXPECT_EQ(at("2026-10", "accepted"), 1);
    EXPECT_EQ(at("2026-11", "proposed"), 0);
    // Overdue since March, by its owner; labels, not codes, name the series.
    const QJsonArray overdue = charts[1].toObject().value("bars").toArray();
    ASSERT_EQ(overdue.size(), 1);
    EXPECT_EQ(overdue[0].toObject().value("zh").toString().toStdString(), "王磊");
    EXPECT_EQ(series[0].toObject().value("zh").toString().toStdString(), "已提出");
}
