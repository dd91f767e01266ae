// Feeds for programs outside the browser (issue #19, point 7): an Atom feed of records and
// an iCalendar of a board's due dates, read with the reader's clearance, a personal token
// riding in the address. The oracle: a feed holds exactly what the same reader's
// /api/records (or board) holds, in the order a feed promises.
#include "kbrunner.h"
#include "serveprocess.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>

#include <algorithm>
#include <set>

using namespace kbtest;

namespace {

QJsonObject parse(const std::string &body)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

struct AtomEntry {
    std::string id, title, updated;
};

// The entries of an Atom document; fails the test when it is not well-formed XML.
std::vector<AtomEntry> atomEntries(const std::string &xml)
{
    std::vector<AtomEntry> out;
    QXmlStreamReader r(QByteArray::fromStdString(xml));
    bool inEntry = false;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement() && r.name() == QLatin1String("entry")) {
            inEntry = true;
            out.emplace_back();
        } else if (r.isEndElement() && r.name() == QLatin1String("entry")) {
            inEntry = false;
        } else if (inEntry && r.isStartElement()) {
            const QString name = r.name().toString();
            if (name == "id" || name == "title" || name == "updated") {
                const std::string text = r.readElementText().toStdString();
                (name == "id"      ? out.back().id
                 : name == "title" ? out.back().title
                                   : out.back().updated) = text;
            }
        }
    }
    EXPECT_FALSE(r.hasError()) << r.errorString().toStdString() << "\n" << xml;
    return out;
}

class FeedsTest : public ::testing::Test {
protected:
    void SetUp() override { initRoot(dir); }

    std::string newRecord(std::vector<std::string> args)
    {
        return newRecordId(dir, std::move(args));
    }

    TempDir dir;
};

} // namespace

TEST_F(FeedsTest, TheAtomFeedHoldsWhatTheReaderMaySeeNewestFirst)
{
    const char *const levels[] = {"public", "internal", "restricted"};
    for (int i = 0; i < 9; ++i)
        newRecord({"lesson", "--title", std::string("经验 <" + std::to_string(i) + "> & \"复盘\""),
                   "--touchpoint", "tp07-install-cutover", "--confidentiality", levels[i % 3],
                   "--date", "2026-0" + std::to_string(i + 1) + "-15"});
    const std::string token =
        runKb({"token", "add", "赵敏", "--group", "managers"}, dir.path()).out.substr(0, 68);
    dir.write("kb.yaml", dir.read("kb.yaml") + "serve:\n  anonymous: read-public\n"
                                               "  groups:\n    managers: [read-restricted]\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    for (const std::string &who : {std::string(), token}) {
        const std::string suffix = who.empty() ? "" : "&token=" + who;
        auto feed = c.Get("/feeds/records.atom?limit=100" + suffix);
        ASSERT_EQ(feed->status, 200) << feed->body;
        EXPECT_EQ(feed->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
        const std::vector<AtomEntry> entries = atomEntries(feed->body);
        // The same reader through the JSON API (the token as a header there).
        httplib::Headers h;
        if (!who.empty())
            h.emplace("Authorization", "Bearer " + who);
        const QJsonArray listed =
            parse(c.Get("/api/records?limit=100", h)->body).value("records").toArray();
        std::set<std::string> fromFeed, fromApi;
        for (const AtomEntry &e : entries)
            fromFeed.insert(e.id.substr(e.id.rfind('/') + 1));
        for (const auto &r : listed)
            fromApi.insert(r.toObject().value("id").toString().toStdString());
        EXPECT_EQ(fromFeed, fromApi);
        EXPECT_EQ(entries.size(), who.empty() ? 3u : 9u);
        EXPECT_TRUE(std::is_sorted(
            entries.begin(), entries.end(),
            [](const AtomEntry &a, const AtomEntry &b) { return a.updated > b.updated; }));
        ASSERT_FALSE(entries.empty());
        EXPECT_NE(entries[0].title.find("& \"复盘\""), std::string::npos) << entries[0].title;
    }
    // A token that is not one, or the shared kind, is refused or ignored, never trusted.
    EXPECT_EQ(c.Get("/feeds/records.atom?token=kbt_0000")->status, 401);
    EXPECT_EQ(c.Get("/feeds/records.atom?type=nosuch")->status, 400);
    EXPECT_EQ(c.Get("/feeds/nothing.rss")->status, 404);
}

TEST_F(FeedsTest, ABoardsCalendarHasOneEventPerOpenDueDateAndHonoursOwnerAndClearance)
{
    const std::string open =
        newRecord({"improvement", "--title", "割接前配置比对; 回退, 演练", "--source",
                   "retrospective", "--owner", "王磊", "--due", "2030-06-30"});
    const std::string other =
        newRecord({"improvement", "--title", "备件基线", "--source", "retrospective", "--owner",
                   "林芳", "--due", "2030-07-31"});
    const std::string secret =
        newRecord({"improvement", "--title", "受限的改进", "--source", "retrospective", "--owner",
                   "王磊", "--due", "2030-08-31", "--confidentiality", "restricted"});
    const std::string rejected =
        newRecord({"improvement", "--title", "不做的改进", "--source", "retrospective", "--owner",
                   "王磊", "--due", "2030-09-30"});
    ASSERT_EQ(
        runKb({"edit", rejected, "--set", "rejection_reason=与另一条重复"}, dir.path()).exitCode,
        0);
    RunResult moved =
        runKb({"improvement", "status", rejected, "rejected", "--note", "重复"}, dir.path());
    ASSERT_EQ(moved.exitCode, 0) << moved.err;
    dir.write("kb.yaml", dir.read("kb.yaml") + "serve:\n  anonymous: read-internal\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    auto all = c.Get("/feeds/views/improvements/board.ics");
    ASSERT_EQ(all->status, 200) << all->body;
    EXPECT_EQ(all->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
    const std::string ics = all->body;
    // RFC 5545's shape: CRLF lines of at most 75 octets, folded with a leading space.
    std::size_t at = 0;
    while (at < ics.size()) {
        const std::size_t end = ics.find("\r\n", at);
        ASSERT_NE(end, std::string::npos) << "a line without CRLF";
        EXPECT_LE(end - at, 75u) << ics.substr(at, end - at);
        at = end + 2;
    }
    EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
    const auto count = [](const std::string &text, const std::string &what) {
        std::size_t n = 0;
        for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(count(ics, "BEGIN:VEVENT"), 2u) << ics;
    EXPECT_NE(ics.find("UID:" + open + "@"), std::string::npos);
    EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20300630"), std::string::npos);
    EXPECT_NE(ics.find("SUMMARY:割接前配置比对\\; 回退\\, 演练"), std::string::npos) << ics;
    EXPECT_EQ(ics.find(secret), std::string::npos) << "restricted, and the reader is not cleared";
    EXPECT_EQ(ics.find(rejected), std::string::npos) << "a rejected improvement is done";
    auto mine = c.Get("/feeds/views/improvements/board.ics?owner=%E7%8E%8B%E7%A3%8A"); // 王磊
    ASSERT_EQ(mine->status, 200);
    EXPECT_EQ(count(mine->body, "BEGIN:VEVENT"), 1u);
    EXPECT_EQ(mine->body.find(other), std::string::npos);
    EXPECT_EQ(c.Get("/feeds/views/insights/journey.ics")->status, 404);
}
