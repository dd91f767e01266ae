// Both languages for what the server says (issue #19, point 1): kb's own messages come
// with their Chinese, and a plugin gives the Chinese of its own through its manifest
// ("Messages"), so a rule's refusal and a record's findings read in Chinese on the page.
#include "kbrunner.h"
#include "serveprocess.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace kbtest;

namespace {

QJsonObject parse(const std::string &body)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

} // namespace

TEST(Languages, APluginsManifestGivesTheChineseOfItsOwnMessages)
{
    TempDir dir;
    copyShippedContent(dir);
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    // A finding its rules make (the improvements plugin: overdue), on the record's page.
    const QJsonArray findings =
        parse(c.Get("/api/records/imp-20240601-onsite-rule")->body).value("findings").toArray();
    ASSERT_FALSE(findings.isEmpty());
    const std::string zh = findings[0].toObject().value("text_zh").toString().toStdString();
    EXPECT_NE(zh.find("起已逾期"), std::string::npos) << zh;
    EXPECT_NE(zh.find("警告"), std::string::npos) << zh;
    // A refusal by a rule (the competitors plugin), whole and per field.
    const QJsonObject intel{{"type", "intel"},
                            {"title", "无评级的事实"},
                            {"fields", QJsonObject{{"competitor", "vendor-a"},
                                                   {"kind", "offer"},
                                                   {"observed", "2026-01-01"},
                                                   {"source_type", "press"},
                                                   {"source_ref", "x"},
                                                   {"claim", "fact"},
                                                   {"reliability", "F"},
                                                   {"lawful_source", true}}}};
    auto refused = c.Post("/api/records", {{"X-KB-Request", "1"}},
                          QJsonDocument(intel).toJson(QJsonDocument::Compact).toStdString(),
                          "application/json");
    ASSERT_EQ(refused->status, 422) << refused->body;
    const QJsonObject answer = parse(refused->body);
    EXPECT_NE(answer.value("fields_zh").toObject().value("claim").toString().indexOf("评级"), -1)
        << refused->body;
    EXPECT_NE(answer.value("error_zh").toString().indexOf("这类记录的规则不允许: “事实”"), -1)
        << refused->body;
    // A board move the plugin does not allow.
    auto move = c.Post("/api/views/improvements/board/move", {{"X-KB-Request", "1"}},
                       R"({"id": "imp-20240601-onsite-rule", "to": "closed"})", "application/json");
    ASSERT_EQ(move->status, 422);
    EXPECT_NE(parse(move->body).value("error_zh").toString().indexOf("可以移到"), -1) << move->body;
}

TEST(Languages, AManifestMessageWithoutItsChineseOrWithAStrayHoleIsNamed)
{
    TempDir work;
    work.write("memos.json", R"({"Id": "memos", "Api": 1, "Type": "memo",
  "Messages": [
    {"en": "memo {} is late"},
    {"en": "memo {} is late", "zh": "备忘 {0} 晚了 {1}"}
  ],
  "Fields": [{"Name": "note", "Type": "string"}]
})");
    RunResult r = runKb({"plugins", "check", "memos.json"}, work.path());
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("memos.json:3: Messages[0].zh: a message needs its English pattern and "
                         "its Chinese"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("Messages[1].zh: {1} names no {} of the English"), std::string::npos)
        << r.err;
}
