// kb serve as an HTTP client sees it: a real server on loopback, real requests.
#include "kbrunner.h"
#include "serveprocess.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

using namespace kbtest;

namespace {

QJsonObject parse(const std::string &body)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

std::string compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

// A small root: a cutover lesson, an improvement, a restricted lesson, hostile text.
class ServeTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        initRoot(dir);
        lessonId = newRecord({"lesson", "--title", "核心网割接回退复盘", "--touchpoint",
                              "tp07-install-cutover", "--customer", "tm-malaysia"},
                             "割接窗口内回退成功,回退预案演练过。");
        improvementId = newRecord({"improvement", "--title", "割接前全量配置比对", "--source",
                                   "retrospective", "--owner", "王磊", "--due", "2030-01-31"},
                                  "问题:割接前没有比对配置。");
        secretId = newRecord({"lesson", "--title", "机密报价复盘 secretword", "--touchpoint",
                              "tp01-proposal", "--confidentiality", "restricted"},
                             "secretword 报价底线。");
    }

    std::string newRecord(std::vector<std::string> args, const std::string &body)
    {
        args.insert(args.begin(), "new");
        args.push_back("--json");
        RunResult r = runKb(args, dir.path(), {{"KB_TODAY", "2026-11-20"}});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        const std::string id = parse(r.out).value("id").toString().toStdString();
        RunResult e = runKb({"edit", id, "--append", body}, dir.path());
        EXPECT_EQ(e.exitCode, 0) << e.err;
        return id;
    }

    static httplib::Headers writeHeaders(const std::string &token = {})
    {
        httplib::Headers h{{"X-KB-Request", "1"}};
        if (!token.empty())
            h.emplace("Authorization", "Bearer " + token);
        return h;
    }

    // Hits for `q` as the search API counts them.
    static int total(httplib::Client &c, const std::string &q)
    {
        return parse(c.Get(("/api/search?q=" + q).c_str())->body).value("total").toInt();
    }

    // Polls until `done` holds or `limit` has passed; whether it held.
    static bool eventually(const std::function<bool()> &done, std::chrono::milliseconds limit)
    {
        const auto start = std::chrono::steady_clock::now();
        while (!done()) {
            if (std::chrono::steady_clock::now() - start > limit)
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return true;
    }

    TempDir dir;
    std::string lessonId, improvementId, secretId;
};

TEST_F(ServeTest, SearchAnswersWithTheCliContract)
{
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    auto r = c.Get("/api/search?q=%E5%89%B2%E6%8E%A5%20%E5%9B%9E%E9%80%80&limit=5"); // 割接 回退
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const QJsonObject o = parse(r->body);
    EXPECT_EQ(o.value("contract").toString(), "kb.search/2");
    const QJsonArray hits = o.value("hits").toArray();
    ASSERT_FALSE(hits.isEmpty());
    EXPECT_EQ(hits[0].toObject().value("id").toString().toStdString(), lessonId);
    EXPECT_TRUE(hits[0].toObject().value("snippet").toString().contains(QString::fromUtf8("⟦")));
    EXPECT_TRUE(o.value("facets").toObject().contains("type"));

    // The same query through the CLI gives the same ranking.
    RunResult cli = runKb({"search", "--json", "--limit", "5", "割接", "回退"}, dir.path());
    const QJsonArray cliHits = parse(cli.out).value("hits").toArray();
    ASSERT_EQ(cliHits.size(), hits.size());
    for (int i = 0; i < hits.size(); ++i)
        EXPECT_EQ(cliHits[i].toObject().value("id"), hits[i].toObject().value("id"));

    auto bad = c.Get("/api/search?q=%22unclosed");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_FALSE(parse(bad->body).value("hint").toString().isEmpty());
    EXPECT_EQ(c.Get("/api/search?q=x&limit=abc")->status, 400);
    EXPECT_EQ(c.Get("/api/search?q=x&sort=nonsense")->status, 400);
    EXPECT_EQ(c.Get("/api/search")->status, 400);
}

TEST_F(ServeTest, RecordPageRendersMarkdownWithoutScript)
{
    const std::string id = newRecord(
        {"lesson", "--title", "<img src=x onerror=alert(1)> 标题", "--touchpoint", "tp01-proposal"},
        "<script>alert('x')</script>\n\n[click](javascript:alert(1)) and **bold**\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    auto r = c.Get(("/api/records/" + id).c_str());
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    const QJsonObject o = parse(r->body);
    const QString html = o.value("body_html").toString();
    EXPECT_FALSE(html.contains("<script")) << html.toStdString();
    EXPECT_FALSE(html.contains("javascript:")) << html.toStdString();
    EXPECT_TRUE(html.contains("<strong>bold</strong>"));
    EXPECT_EQ(o.value("title").toString().toStdString(), "<img src=x onerror=alert(1)> 标题");
    // The page itself carries a CSP that forbids inline script.
    EXPECT_NE(r->get_header_value("Content-Security-Policy").find("script-src 'self'"),
              std::string::npos);

    // Links both ways: the lesson names the improvement, the improvement shows it back.
    ASSERT_EQ(
        runKb({"edit", lessonId, "--set", "improvements=" + improvementId}, dir.path()).exitCode,
        0);
    QJsonObject imp;
    EXPECT_TRUE(eventually(
        [&] {
            imp = parse(c.Get(("/api/records/" + improvementId).c_str())->body);
            return imp.value("backlinks").toArray().size() == 1;
        },
        std::chrono::seconds(10)));
    ASSERT_EQ(imp.value("backlinks").toArray().size(), 1) << compact(imp);
    EXPECT_EQ(imp.value("backlinks").toArray()[0].toObject().value("id").toString().toStdString(),
              lessonId);
    EXPECT_EQ(c.Get("/api/records/no-such-id")->status, 404);
}

TEST_F(ServeTest, FilingWritesTheFileKbNewWrites)
{
    ServeProcess server(dir.path(), {}, {{"KB_TODAY", "2026-11-21"}});
    httplib::Client c("127.0.0.1", server.port());
    const QJsonObject form{
        {"type", "lesson"},
        {"title", "Web 表单提交的复盘"},
        {"date", "2026-11-21"},
        {"fields", QJsonObject{{"touchpoint", QJsonArray{"tp07-install-cutover"}},
                               {"customer", "tm-malaysia"},
                               {"kind", "project-retro"}}}};
    auto r = c.Post("/api/records", writeHeaders(), compact(form), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    const QJsonObject made = parse(r->body);
    const std::string webFile = dir.read(made.value("path").toString().toStdString());

    RunResult cli = runKb({"new", "lesson", "--title", "Web 表单提交的复盘", "--date", "2026-11-21",
                           "--touchpoint", "tp07-install-cutover", "--customer", "tm-malaysia",
                           "--kind", "project-retro", "--json"},
                          dir.path());
    ASSERT_EQ(cli.exitCode, 0) << cli.err;
    const QJsonObject cliMade = parse(cli.out);
    std::string cliFile = dir.read(cliMade.value("path").toString().toStdString());
    // Identical but for the id each drew and who each says filed it.
    const std::string webId = made.value("id").toString().toStdString();
    const std::string cliId = cliMade.value("id").toString().toStdString();
    cliFile.replace(cliFile.find(cliId), cliId.size(), webId);
    ASSERT_NE(cliFile.find("updated_by: tester\n"), std::string::npos) << cliFile;
    cliFile.replace(cliFile.find("updated_by: tester\n"), 19, "updated_by: web\n");
    EXPECT_EQ(webFile, cliFile);

    // The new record is searchable at once.
    auto found = c.Get("/api/search?q=%E8%A1%A8%E5%8D%95"); // 表单
    ASSERT_TRUE(found);
    EXPECT_NE(found->body.find(webId), std::string::npos);

    // Invalid fields come back one by one, and nothing is written.
    const QJsonObject bad{{"type", "lesson"},
                          {"title", ""},
                          {"date", "2026-02-30"},
                          {"fields", QJsonObject{{"touchpoint", "tp99-nowhere"}, {"kind", "x"}}}};
    auto rejected = c.Post("/api/records", writeHeaders(), compact(bad), "application/json");
    ASSERT_EQ(rejected->status, 422) << rejected->body;
    const QJsonObject fields = parse(rejected->body).value("fields").toObject();
    for (const char *f : {"title", "date", "touchpoint", "kind"})
        EXPECT_TRUE(fields.contains(f)) << f << " in " << rejected->body;
    EXPECT_EQ(c.Post("/api/records", writeHeaders(), R"({"type":"nosuchtype"})", "application/json")
                  ->status,
              400);
}

TEST_F(ServeTest, EditKeepsUntouchedBytesAndRefusesAStaleVersion)
{
    ServeProcess server(dir.path(), {}, {{"KB_TODAY", "2026-11-22"}});
    httplib::Client c("127.0.0.1", server.port());
    const std::string path = "lessons/" + lessonId + ".md";
    // A hand-written comment and odd spacing must survive an edit of another field.
    auto servedVersion = [&] {
        return parse(c.Get(("/api/records/" + lessonId).c_str())->body).value("version").toString();
    };
    const QString untouched = servedVersion();
    std::string before = dir.read(path);
    before.replace(before.find("title:"), 6, "# kept comment\ntitle:");
    dir.write(path, before);
    // The editor opens the record only once the server has seen the hand edit.
    QString version;
    EXPECT_TRUE(eventually([&] { return (version = servedVersion()) != untouched; },
                           std::chrono::seconds(10)));
    ASSERT_FALSE(version.isEmpty());

    const QJsonObject edit{{"version", version}, {"fields", QJsonObject{{"outcome", "success"}}}};
    auto r = c.Put(("/api/records/" + lessonId).c_str(), writeHeaders(), compact(edit),
                   "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    const std::string after = dir.read(path);
    EXPECT_NE(after.find("# kept comment\ntitle:"), std::string::npos);
    EXPECT_NE(after.find("outcome: success"), std::string::npos);
    EXPECT_NE(after.find("updated: 2026-11-22"), std::string::npos);
    // Only the changed lines differ.
    auto lines = [](const std::string &s) {
        std::vector<std::string> out;
        std::size_t at = 0;
        for (std::size_t nl; (nl = s.find('\n', at)) != std::string::npos; at = nl + 1)
            out.push_back(s.substr(at, nl - at));
        return out;
    };
    int changed = 0;
    const std::vector<std::string> old = lines(before); // one vector, not three temporaries
    for (const auto &l : lines(after))
        changed += std::find(old.begin(), old.end(), l) == old.end();
    EXPECT_LE(changed, 3) << after; // the field, updated and updated_by

    // A second editor still holding the old version is told, and loses nothing.
    const QJsonObject late{{"version", version}, {"fields", QJsonObject{{"outcome", "failure"}}}};
    auto conflict = c.Put(("/api/records/" + lessonId).c_str(), writeHeaders(), compact(late),
                          "application/json");
    ASSERT_EQ(conflict->status, 409) << conflict->body;
    EXPECT_EQ(dir.read(path), after);

    const QJsonObject badValue{{"version", parse(r->body).value("version")},
                               {"fields", QJsonObject{{"outcome", "maybe"}}}};
    auto refused = c.Put(("/api/records/" + lessonId).c_str(), writeHeaders(), compact(badValue),
                         "application/json");
    EXPECT_EQ(refused->status, 422);
    EXPECT_TRUE(parse(refused->body).value("fields").toObject().contains("outcome"));
    EXPECT_EQ(dir.read(path), after);
}

TEST_F(ServeTest, WritesRefuseCrossSiteRequests)
{
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const std::string body =
        R"({"type":"lesson","title":"csrf","fields":{"touchpoint":["tp01-proposal"]}})";
    const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
    // A plain form post, a foreign Origin, a cross-site fetch: all refused with JSON.
    auto form = c.Post("/api/records", body, "application/x-www-form-urlencoded");
    EXPECT_EQ(form->status, 403);
    EXPECT_FALSE(parse(form->body).value("error").toString().isEmpty());
    EXPECT_EQ(c.Post("/api/records", body, "application/json")->status, 403);
    auto foreign =
        c.Post("/api/records", {{"X-KB-Request", "1"}, {"Origin", "http://evil.example"}}, body,
               "application/json");
    EXPECT_EQ(foreign->status, 403);
    auto crossSite =
        c.Post("/api/records", {{"X-KB-Request", "1"}, {"Sec-Fetch-Site", "cross-site"}}, body,
               "application/json");
    EXPECT_EQ(crossSite->status, 403);
    // DNS rebinding: a page on another name reaching this port is refused.
    auto rebound = c.Get("/api/search?q=x", {{"Host", "attacker.example:80"}});
    EXPECT_EQ(rebound->status, 421);
    // The same request done right is accepted.
    auto ok = c.Post("/api/records", {{"X-KB-Request", "1"}, {"Origin", origin}}, body,
                     "application/json");
    EXPECT_EQ(ok->status, 201) << ok->body;
}

TEST_F(ServeTest, BeyondLoopbackWritesAndRestrictedReadsNeedTheToken)
{
    const std::string token = "s3cret-token-for-tests-0123456789";
    dir.write("token.txt", token + "\n");
    {
        ServeProcess server(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test",
                                         "--token-file", dir.file("token.txt")});
        httplib::Client c("127.0.0.1", server.port());
        const std::string body =
            R"({"type":"lesson","title":"tok","fields":{"touchpoint":["tp01-proposal"]}})";
        EXPECT_EQ(c.Post("/api/records", writeHeaders(), body, "application/json")->status, 401);
        EXPECT_EQ(c.Post("/api/records", writeHeaders("wrong-token-wrong-token"), body,
                         "application/json")
                      ->status,
                  401);
        EXPECT_EQ(c.Post("/api/records", writeHeaders(token), body, "application/json")->status,
                  201);
        // Restricted records: hidden from search and unknown by id without the token.
        EXPECT_EQ(c.Get(("/api/records/" + secretId).c_str())->status, 404);
        const QJsonObject anon = parse(c.Get("/api/search?q=secretword")->body);
        EXPECT_EQ(anon.value("total").toInt(), 0) << compact(anon);
        httplib::Headers auth{{"Authorization", "Bearer " + token}};
        EXPECT_EQ(c.Get(("/api/records/" + secretId).c_str(), auth)->status, 200);
        EXPECT_EQ(parse(c.Get("/api/search?q=secretword", auth)->body).value("total").toInt(), 1);
    }
    {
        // No token configured: such a server is read-only.
        ServeProcess server(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test"});
        httplib::Client c("127.0.0.1", server.port());
        auto r =
            c.Post("/api/records", writeHeaders(),
                   R"({"type":"lesson","title":"x","fields":{"touchpoint":["tp01-proposal"]}})",
                   "application/json");
        EXPECT_EQ(r->status, 403);
        EXPECT_EQ(c.Get(("/api/records/" + secretId).c_str())->status, 404);
    }
    // A token too short to be a secret is refused at start.
    dir.write("short.txt", "abc\n");
    RunResult r = runKb({"serve", "--token-file", dir.file("short.txt")}, dir.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("at least 16"), std::string::npos);
}

TEST_F(ServeTest, ASignOnProxyNamesTheUserAndTheirGroupsDecideWhatTheyMay)
{
    const std::string yaml = dir.read("kb.yaml");
    dir.write("kb.yaml", yaml + "serve:\n  trusted_proxies: [127.0.0.1, \"::1\"]\n"
                                "  restricted_groups: [managers]\n"
                                "  writer_groups: [delivery, managers]\n");
    const std::string body =
        R"({"type":"lesson","title":"代理登录","fields":{"touchpoint":["tp01-proposal"]}})";
    const auto as = [](const std::string &user, const std::string &groups) {
        httplib::Headers h{{"X-KB-Request", "1"}};
        if (!user.empty())
            h.emplace("X-Remote-User", user);
        if (!groups.empty())
            h.emplace("X-Remote-Groups", groups);
        return h;
    };
    const std::string secret = "/api/records/" + secretId;
    {
        ServeProcess server(dir.path());
        httplib::Client c("127.0.0.1", server.port());
        // Through the proxy without a user: anonymous, even on loopback.
        auto anon = c.Post("/api/records", as("", ""), body, "application/json");
        ASSERT_TRUE(anon);
        EXPECT_EQ(anon->status, 401);
        EXPECT_NE(anon->body.find("sign in"), std::string::npos) << anon->body;
        EXPECT_EQ(c.Get(secret.c_str(), as("", ""))->status, 404);
        // Signed in, but in no group that writes.
        auto sales = c.Post("/api/records", as("alice", "sales"), body, "application/json");
        EXPECT_EQ(sales->status, 403);
        EXPECT_NE(sales->body.find("'alice' is in none of the groups that may write"),
                  std::string::npos)
            << sales->body;
        // A delivery engineer files; the record says who.
        auto filed = c.Post("/api/records", as("bob", "sales, delivery"), body, "application/json");
        ASSERT_EQ(filed->status, 201) << filed->body;
        const std::string path = parse(filed->body).value("path").toString().toStdString();
        EXPECT_NE(dir.read(path).find("updated_by: bob\n"), std::string::npos) << dir.read(path);
        EXPECT_EQ(c.Get(secret.c_str(), as("bob", "delivery"))->status, 404);
        // A manager reads restricted records and is told who they are.
        EXPECT_EQ(c.Get(secret.c_str(), as("carol", "managers"))->status, 200);
        const QJsonObject info = parse(c.Get("/api/info", as("carol", "managers"))->body);
        EXPECT_EQ(info.value("user").toString().toStdString(), "carol");
        EXPECT_TRUE(info.value("can_read_restricted").toBool());
    }
    {
        // The same headers from an address that is no proxy are ignored and logged: a
        // forged sign-in names nobody. With a proxy configured, loopback is no one special:
        // the forger is anonymous, reads internal records and writes nothing.
        dir.write("kb.yaml", yaml + "serve:\n  trusted_proxies: [10.9.9.9]\n");
        const std::string log = dir.file("serve.log");
        ServeProcess server(dir.path(), {}, {}, log);
        httplib::Client c("127.0.0.1", server.port());
        const auto records = [&] {
            std::size_t n = 0;
            for (const auto &e : std::filesystem::recursive_directory_iterator(dir.path()))
                n += e.path().extension() == ".md";
            return n;
        };
        const std::size_t before = records();
        auto forged = c.Post("/api/records", as("mallory", "managers"), body, "application/json");
        EXPECT_EQ(forged->status, 401) << forged->body;
        EXPECT_EQ(records(), before);
        EXPECT_EQ(c.Get(secret.c_str(), as("mallory", "managers"))->status, 404);
        const QJsonObject info = parse(c.Get("/api/info", as("mallory", ""))->body);
        EXPECT_FALSE(info.contains("user"));
        EXPECT_FALSE(info.value("can_write").toBool());
        EXPECT_NE(dir.read("serve.log").find(
                      "ignored x-remote-user from 127.0.0.1: not a trusted proxy"),
                  std::string::npos)
            << dir.read("serve.log");
    }
    // A bad setting names the key.
    dir.write("kb.yaml", yaml + "serve:\n  user_header: \"X Remote\"\n");
    RunResult bad = runKb({"serve", "--port", "0"}, dir.path());
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("serve: user_header: is not a header name"), std::string::npos)
        << bad.err;
}

TEST_F(ServeTest, PersonalTokensActAsTheirPersonAndStopWorkingWhenRevoked)
{
    dir.write("kb.yaml", dir.read("kb.yaml") + "serve:\n  restricted_groups: [managers]\n"
                                               "  writer_groups: [delivery, managers]\n");
    RunResult made = runKb({"token", "add", "王磊", "--group", "delivery"}, dir.path());
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const std::string engineer = made.out.substr(0, made.out.find('\n'));
    ASSERT_EQ(engineer.size(), 68u) << made.out; // kbt_ and 64 hex digits
    const std::string manager =
        runKb({"token", "add", "赵敏", "--group", "managers"}, dir.path()).out.substr(0, 68);
    // Only hashes are kept.
    const std::string stored = dir.read(".kb/tokens.json");
    EXPECT_EQ(stored.find(engineer.substr(4)), std::string::npos);
    EXPECT_NE(stored.find("王磊"), std::string::npos);

    ServeProcess server(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test"});
    httplib::Client c("127.0.0.1", server.port());
    const std::string body =
        R"({"type":"lesson","title":"个人令牌","fields":{"touchpoint":["tp01-proposal"]}})";
    auto filed = c.Post("/api/records", writeHeaders(engineer), body, "application/json");
    ASSERT_TRUE(filed);
    ASSERT_EQ(filed->status, 201) << filed->body;
    const std::string path = parse(filed->body).value("path").toString().toStdString();
    EXPECT_NE(dir.read(path).find("updated_by: 王磊\n"), std::string::npos) << dir.read(path);
    const std::string secret = "/api/records/" + secretId;
    EXPECT_EQ(c.Get(secret.c_str(), {{"Authorization", "Bearer " + engineer}})->status, 404);
    EXPECT_EQ(c.Get(secret.c_str(), {{"Authorization", "Bearer " + manager}})->status, 200);
    EXPECT_EQ(parse(c.Get("/api/info", {{"Authorization", "Bearer " + manager}})->body)
                  .value("user")
                  .toString()
                  .toStdString(),
              "赵敏");

    // Revoked: refused at once, the server still running.
    const QJsonArray list =
        QJsonDocument::fromJson(
            QByteArray::fromStdString(runKb({"token", "list", "--json"}, dir.path()).out))
            .array();
    ASSERT_EQ(list.size(), 2);
    std::string engineerId;
    for (const QJsonValue &t : list)
        if (t.toObject().value("name").toString() == QString::fromUtf8("王磊"))
            engineerId = t.toObject().value("id").toString().toStdString();
    ASSERT_EQ(runKb({"token", "revoke", engineerId}, dir.path()).exitCode, 0);
    EXPECT_EQ(c.Post("/api/records", writeHeaders(engineer), body, "application/json")->status,
              401);
    EXPECT_EQ(runKb({"token", "revoke", engineerId}, dir.path()).exitCode, 1);
}

TEST_F(ServeTest, HostileRequestsGetJsonErrorsAndTheServerStaysUp)
{
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    auto expectJsonError = [&](const httplib::Result &r, int status, const std::string &what) {
        ASSERT_TRUE(r) << what;
        EXPECT_EQ(r->status, status) << what << ": " << r->body;
        EXPECT_FALSE(parse(r->body).value("error").toString().isEmpty()) << what << ": " << r->body;
    };
    expectJsonError(c.Get("/api/records/..%2F..%2F..%2Fetc%2Fpasswd"), 404, "traversal by id");
    expectJsonError(c.Get("/assets/..%2F..%2Fkb.yaml"), 404, "traversal by asset");
    expectJsonError(c.Get("/api/nothing"), 404, "unknown endpoint");
    expectJsonError(c.Post("/api/records", writeHeaders(), "{not json", "application/json"), 400,
                    "malformed JSON");
    expectJsonError(c.Post("/api/records", writeHeaders(), "[1,2]", "application/json"), 400,
                    "JSON array");
    expectJsonError(
        c.Post("/api/records", writeHeaders(), std::string(2 << 20, 'x'), "application/json"), 413,
        "2 MiB body");
    expectJsonError(c.Get(("/api/search?q=" + std::string(10000, 'a')).c_str()), 414, "long URI");
    expectJsonError(c.Get("/api/search?q=%FF%FE%C0"), 400, "invalid UTF-8 query");
    expectJsonError(c.Get("/api/views/insights/nosuchview"), 404, "unknown view");
    expectJsonError(c.Get("/api/views/improvements/board/../../etc"), 404, "view traversal");
    // Values of the wrong shape are named, never coerced into a saved record.
    const auto lessons = [&] {
        return std::distance(std::filesystem::directory_iterator(dir.file("lessons")),
                             std::filesystem::directory_iterator());
    };
    const auto before = lessons();
    for (
        const char *body :
        {R"({"type":"lesson","title":"t","fields":{"touchpoint":["tp01-proposal"],"owner":["a","b"]}})",
         R"({"type":"lesson","title":"t","fields":{"touchpoint":["tp01-proposal"],"kind":{"x":1}}})",
         R"({"type":"lesson","title":"t","fields":{"touchpoint":[["tp01-proposal"]]}})",
         R"({"type":"lesson","title":12345,"fields":{"touchpoint":["tp01-proposal"]}})",
         R"({"type":"lesson","title":"t","body":"lost?","fields":{"touchpoint":["tp01-proposal"]}})"}) {
        auto r = c.Post("/api/records", writeHeaders(), body, "application/json");
        expectJsonError(r, 422, body);
        EXPECT_FALSE(parse(r->body).value("fields").toObject().isEmpty()) << r->body;
    }
    EXPECT_EQ(lessons(), before);
    const QJsonObject current = parse(c.Get(("/api/records/" + lessonId).c_str())->body);
    const QJsonObject badEdit{{"version", current.value("version")},
                              {"fields", QJsonObject{{"owner", QJsonObject{{"a", 1}}}}}};
    auto edit = c.Put(("/api/records/" + lessonId).c_str(), writeHeaders(), compact(badEdit),
                      "application/json");
    expectJsonError(edit, 422, "object as an edited value");
    EXPECT_TRUE(parse(edit->body).value("fields").toObject().contains("owner")) << edit->body;
    // Nothing above wrote outside the root or took the server down.
    auto info = c.Get("/api/info");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->status, 200);
    EXPECT_TRUE(server.alive());
}

// Enum values are shown with the labels their schema gives them: in the form's schema,
// on the record page and in the facets alike.
TEST_F(ServeTest, EnumValuesCarryTheirSchemaLabelsEverywhere)
{
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    QJsonObject statusLabels;
    for (const auto &t : parse(c.Get("/api/schema")->body).value("types").toArray())
        for (const auto &f : t.toObject().value("fields").toArray())
            if (t.toObject().value("type") == "improvement" &&
                f.toObject().value("name") == "status")
                statusLabels = f.toObject().value("value_labels").toObject();
    const QJsonObject proposed = statusLabels.value("proposed").toObject();
    ASSERT_FALSE(proposed.value("zh").toString().isEmpty()) << compact(statusLabels);
    EXPECT_NE(proposed.value("zh").toString(), "proposed");

    // The record page's first value of a field, as shown.
    const QJsonArray fields =
        parse(c.Get(("/api/records/" + improvementId).c_str())->body).value("fields").toArray();
    const auto shownValue = [&](const char *name) {
        for (const auto &f : fields)
            if (f.toObject().value("name") == name)
                return f.toObject().value("items").toArray()[0].toObject();
        return QJsonObject();
    };
    EXPECT_EQ(shownValue("status").value("value").toString(), "proposed");
    EXPECT_EQ(shownValue("status").value("label").toObject(), proposed);
    EXPECT_FALSE(shownValue("type").value("label").toObject().value("zh").toString().isEmpty())
        << compact(shownValue("type"));

    const QJsonObject found = parse(c.Get("/api/search?q=type:improvement")->body);
    const QJsonObject facet =
        found.value("facets").toObject().value("status").toArray()[0].toObject();
    EXPECT_EQ(facet.value("value").toString(), "proposed") << compact(found);
    EXPECT_EQ(facet.value("label").toObject(), proposed);
}

// A long-running server counts facets from an in-memory column from its second search
// on; they must be the counts a one-off `kb search` reads from the index, before and
// after the files change.
TEST_F(ServeTest, FacetsMatchTheCliOnEverySearchAndAfterChanges)
{
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const auto served = [&](int limit) {
        auto r = c.Get(("/api/search?q=%E5%89%B2%E6%8E%A5&limit=" + std::to_string(limit))
                           .c_str()); // 割接; a new limit each time, so no cached answer
        return r ? compact(parse(r->body).value("facets").toObject()) : std::string();
    };
    const auto cli = [&] {
        RunResult r = runKb({"search", "--json", "割接"}, dir.path());
        return compact(parse(r.out).value("facets").toObject());
    };
    const std::string before = cli();
    ASSERT_NE(before.find("tp07-install-cutover"), std::string::npos) << before;
    for (int limit = 1; limit <= 4; ++limit)
        EXPECT_EQ(served(limit), before) << "search " << limit;

    dir.write("lessons/outside.md",
              "---\nid: les-outside\ntype: lesson\ntitle: 割接 outside\n"
              "date: 2026-11-01\nkind: project-retro\ntouchpoint: [tp03-negotiation]\n"
              "---\n割接 written by an editor.\n");
    EXPECT_TRUE(eventually([&] { return served(5).find("tp03-negotiation") != std::string::npos; },
                           std::chrono::seconds(2)));
    const std::string after = cli();
    EXPECT_NE(after, before);
    for (int limit = 6; limit <= 8; ++limit)
        EXPECT_EQ(served(limit), after) << "search " << limit;
}

TEST_F(ServeTest, FilesChangedOutsideAppearWithinTwoSeconds)
{
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    ASSERT_EQ(total(c, "zebrafish"), 0);
    dir.write("lessons/outside.md",
              "---\nid: les-outside\ntype: lesson\ntitle: zebrafish outside\n"
              "date: 2026-11-01\nkind: project-retro\ntouchpoint: [tp01-proposal]\n"
              "---\nWritten by an editor, not by kb.\n");
    EXPECT_TRUE(eventually([&] { return total(c, "zebrafish") == 1; }, std::chrono::seconds(2)))
        << "not searchable 2 s after the file was written";
    EXPECT_EQ(c.Get("/api/records/les-outside")->status, 200);

    std::filesystem::remove(dir.file("lessons/outside.md"));
    EXPECT_TRUE(eventually([&] { return total(c, "zebrafish") == 0; }, std::chrono::seconds(2)));
}

TEST_F(ServeTest, VocabulariesChangedWhileServingTakeEffectWithoutARestart)
{
    std::filesystem::remove(dir.file("vocab/glossary.yaml")); // `kb init` installs one
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    ASSERT_EQ(total(c, "fallback"), 0) << "no record says fallback, and no glossary says 回退";
    ASSERT_EQ(c.Get("/api/schema")->body.find("阿克米电信"), std::string::npos);

    // A `git pull` brings a glossary entry and a new customer.
    dir.write("vocab/glossary.yaml", "- {id: g100, zh: 回退, en: fallback}\n");
    dir.write("vocab/customers.yaml",
              "- {id: tm-malaysia, zh: 马来西亚电信, en: Telekom Malaysia}\n"
              "- {id: acme, zh: 阿克米电信, en: Acme Telecom}\n");
    EXPECT_TRUE(eventually([&] { return total(c, "fallback") >= 1; }, std::chrono::seconds(10)))
        << "the new synonym is not used 10 s after the change";
    EXPECT_NE(c.Get("/api/schema")->body.find("阿克米电信"), std::string::npos);

    // Filing with the new customer is accepted, as `kb new` would now accept it.
    const std::string form = R"({"type": "lesson", "title": "阿克米割接复盘", "date": "2026-11-20",
        "fields": {"touchpoint": ["tp07-install-cutover"], "customer": "acme"}})";
    auto created = c.Post("/api/records", writeHeaders(), form, "application/json");
    ASSERT_TRUE(created);
    EXPECT_EQ(created->status, 201) << created->body;
    EXPECT_TRUE(server.alive());
}

TEST_F(ServeTest, APluginRebuiltWhileServingRunsAfterTheServerRestartsItself)
{
    // A plugin under development, first on the path, shadowing kb's own lessons.
    TempDir plugins;
    const std::string module = plugins.file("lessons.so");
    std::filesystem::copy_file(KB_BINARY_DIR "/plugins/lessons.so", module);
    ServeProcess server(dir.path(), {"--plugin-path", plugins.path()});
    httplib::Client c("127.0.0.1", server.port());
    auto started = [&] {
        auto r = c.Get("/api/info");
        return r ? parse(r->body)["started"].toString() : QString();
    };
    auto lessons = [&] {
        auto r = c.Get("/api/plugins");
        for (const auto &v : parse(r ? r->body : "")["plugins"].toArray())
            if (v.toObject()["id"] == "lessons" && v.toObject()["state"] == "loaded")
                return v.toObject();
        return QJsonObject{};
    };
    const QString first = started();
    ASSERT_FALSE(first.isEmpty());
    ASSERT_EQ(lessons()["path"].toString().toStdString(), module);
    // A rebuild replaces the file. New code needs a new process: the server re-executes
    // itself on the same socket (same port, same pid), with the new module loaded.
    {
        std::ofstream grow(module, std::ios::app | std::ios::binary);
        grow << std::string(4096, '\0');
    }
    EXPECT_TRUE(eventually(
        [&] {
            const QString now = started();
            return !now.isEmpty() && now != first;
        },
        std::chrono::seconds(20)))
        << "the server did not restart";
    EXPECT_TRUE(server.alive());
    EXPECT_EQ(lessons()["path"].toString().toStdString(), module);
    EXPECT_FALSE(lessons()["changed_on_disk"].toBool()) << compact(lessons());
    EXPECT_EQ(total(c, "回退"), 1) << "the restarted server serves the same root";
    // Writes work in the new process too.
    const std::string form = R"({"type": "lesson", "title": "重启后的复盘", "date": "2026-11-20",
        "fields": {"touchpoint": ["tp07-install-cutover"]}})";
    auto created = c.Post("/api/records", writeHeaders(), form, "application/json");
    ASSERT_TRUE(created);
    EXPECT_EQ(created->status, 201) << created->body;
}

TEST_F(ServeTest, BoardMovesFollowThePluginRules)
{
    ServeProcess server(dir.path(), {}, {{"KB_TODAY", "2026-11-22"}});
    httplib::Client c("127.0.0.1", server.port());
    auto board = c.Get("/api/views/improvements/board");
    ASSERT_EQ(board->status, 200) << board->body;
    const QJsonObject data = parse(board->body).value("data").toObject();
    EXPECT_EQ(data.value("columns").toArray()[0].toObject().value("value").toString(), "proposed");
    ASSERT_EQ(data.value("cards").toArray().size(), 1);
    const QJsonObject card = data.value("cards").toArray()[0].toObject();
    EXPECT_TRUE(card.value("next").toArray().contains(QJsonValue("accepted")));

    const std::string path = "improvements/" + improvementId + ".md";
    const QJsonObject illegal{{"id", QString::fromStdString(improvementId)}, {"to", "closed"}};
    auto refused = c.Post("/api/views/improvements/board/move", writeHeaders(), compact(illegal),
                          "application/json");
    EXPECT_EQ(refused->status, 422);
    EXPECT_NE(parse(refused->body).value("error").toString().indexOf("cannot move"), -1)
        << refused->body;
    EXPECT_NE(dir.read(path).find("status: proposed"), std::string::npos);

    const QJsonObject move{
        {"id", QString::fromStdString(improvementId)}, {"to", "accepted"}, {"note", "评审通过"}};
    auto moved = c.Post("/api/views/improvements/board/move", writeHeaders(), compact(move),
                        "application/json");
    ASSERT_EQ(moved->status, 200) << moved->body;
    const std::string after = dir.read(path);
    EXPECT_NE(after.find("status: accepted"), std::string::npos);
    EXPECT_NE(after.find("web: proposed → accepted: 评审通过"), std::string::npos) << after;
    EXPECT_NE(after.find("updated_by: web\n"), std::string::npos) << after;

    auto journey = c.Get("/api/views/insights/journey");
    ASSERT_EQ(journey->status, 200);
    const QJsonArray stations = parse(journey->body).value("data").toArray();
    ASSERT_EQ(stations.size(), 2); // the two touchpoints of this root, in order
    EXPECT_EQ(stations[0].toObject().value("touchpoint").toString(), "tp01-proposal");
    auto brief = c.Get("/api/views/insights/brief?customers=tm-malaysia");
    ASSERT_EQ(brief->status, 200) << brief->body;
    EXPECT_TRUE(
        parse(brief->body).value("html").toString().contains(QString::fromStdString(lessonId)));
    EXPECT_EQ(c.Get("/api/views/insights/brief?customers=nobody")->status, 400);
}

// A view that declares a "Restricted" flag gets it when the reader may see restricted
// records: on loopback, or beyond it with the token; never without.
TEST_F(ServeTest, ViewsShowRestrictedRecordsOnlyToReadersCleared)
{
    const std::string lesson =
        newRecord({"lesson", "--title", "马电机密复盘 hushword", "--touchpoint", "tp01-proposal",
                   "--customer", "tm-malaysia", "--confidentiality", "restricted"},
                  "hushword");
    dir.write("vocab/competitors.yaml", "- {id: vendor-a, zh: 友商A, en: Vendor A}\n");
    dir.write("competitors/ci-hush.md",
              "---\nid: ci-hush\ntype: intel\ntitle: hush intel\ndate: 2026-10-01\n"
              "competitor: 友商A\nkind: pricing\nobserved: 2026-10-01\nvalid_until: 2027-10-01\n"
              "source_type: press\nsource_ref: press release\nreliability: B\ncredibility: 2\n"
              "claim: fact\nlawful_source: true\nconfidentiality: restricted\n---\n");
    // Each view, and the restricted record it would name.
    const std::vector<std::pair<std::string, std::string>> views = {
        {"/api/views/insights/brief?customers=tm-malaysia", lesson},
        {"/api/views/competitors/battlecards?competitors=vendor-a", "ci-hush"}};
    const auto html = [&](httplib::Client &c, const std::string &path, const httplib::Headers &h) {
        auto r = c.Get(path.c_str(), h);
        EXPECT_EQ(r->status, 200) << path << ": " << r->body;
        return parse(r->body).value("html").toString().toStdString();
    };
    {
        ServeProcess server(dir.path());
        httplib::Client c("127.0.0.1", server.port());
        for (const auto &[path, hidden] : views) {
            const std::string page = html(c, path, {});
            EXPECT_NE(page.find(hidden), std::string::npos) << path << ": " << page;
            EXPECT_EQ(page.find("withheld"), std::string::npos) << path;
        }
    }
    const std::string token = "view-token-for-tests-0123456789";
    dir.write("token.txt", token + "\n");
    ServeProcess server(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test",
                                     "--token-file", dir.file("token.txt")});
    httplib::Client c("127.0.0.1", server.port());
    for (const auto &[path, hidden] : views) {
        const std::string anon = html(c, path, {});
        EXPECT_EQ(anon.find(hidden), std::string::npos) << path << ": " << anon;
        // Not even that there is one (#17: counts tell too).
        EXPECT_EQ(anon.find("withheld"), std::string::npos) << anon;
        EXPECT_NE(html(c, path, {{"Authorization", "Bearer " + token}}).find(hidden),
                  std::string::npos)
            << path;
    }
}

// The server ranks from posting lists it keeps in memory, the CLI through Xapian's
// matcher: on a root big enough for both to matter, every search must give the same
// hits in the same order with the same scores, and the same counts and facets.
TEST_F(ServeTest, RankingAndCountsMatchTheCliOnAGeneratedRoot)
{
    dir.write("vocab/glossary.yaml", "- {id: g001, zh: 割接, en: cutover}\n"
                                     "- {id: g014, zh: 回退, en: rollback}\n");
    const std::vector<std::string> words = {"割接",     "回退",     "客户",      "投诉",  "升级",
                                            "备件",     "cutover",  "rollback",  "spare", "parts",
                                            "pricing",  "customer", "complaint", "现场",  "site",
                                            "客户投诉", "户投"};
    std::uint32_t seed = 7;
    auto next = [&seed](std::uint32_t n) {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 8) % n;
    };
    for (int i = 0; i < 2400; ++i) {
        std::string body;
        const std::uint32_t length = 3 + next(60);
        for (std::uint32_t w = 0; w < length; ++w) {
            // Skewed: the first words are in most records, the last in few.
            const std::uint32_t pick =
                std::min(next(std::uint32_t(words.size())), next(std::uint32_t(words.size())));
            body += (next(5) == 0 ? "filler " : "") + words[pick] + " ";
        }
        const std::string id = "gen-" + std::to_string(i);
        dir.write(
            "lessons/" + id + ".md",
            "---\nid: " + id + "\ntype: lesson\ntitle: Lesson " + std::to_string(i) +
                (next(4) == 0 ? " 割接" : "") + "\ndate: " + std::to_string(2019 + next(7)) + "-0" +
                std::to_string(1 + next(9)) + "-15\nkind: project-retro\ntouchpoint: [" +
                (next(2) ? "tp01-proposal" : "tp07-install-cutover") + "]\n---\n\n" + body + "\n");
    }
    // Short records with every word of the phrase 割接回退 (割接 接回 回退) but not the
    // phrase: they would lead if it were taken to hold wherever its words are. Longer
    // ones hold it.
    for (int i = 0; i < 16; ++i)
        dir.write(
            "lessons/near-" + std::to_string(i) + ".md",
            "---\nid: near-" + std::to_string(i) + "\ntype: lesson\ntitle: Near " +
                std::to_string(i) +
                "\ndate: 2024-01-15\nkind: project-retro\ntouchpoint: [tp01-proposal]\n"
                "---\n\n" +
                (i % 2 ? "接回 割接 回退" : "割接回退 then pricing, spare parts and site notes") +
                "\n");
    ASSERT_EQ(runKb({"index"}, dir.path()).exitCode, 0);
    const std::vector<std::string> queries = {
        "割接 回退",
        "cutover OR 投诉",
        "割接 -回退",
        "客户 投诉",
        "客户投诉",
        "spare parts",
        "pricing touchpoint:tp07-install-cutover",
        "rollback year:2024",
        "升级 备件 rollback",
        "zzzznothing",
        "how do we handle a customer complaint about a rollback on site",
        "(割接 OR 现场) -customer",
        "回退 nosuchword",
        "现场 pricing 升级 备件 complaint",
        "\"spare parts\"",
        "割接回退",
        "\"客户投诉\" 升级"};
    const auto encode = [](const std::string &s) {
        std::string out;
        for (unsigned char ch : s) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", ch);
            out += buf;
        }
        return out;
    };
    // Hits as "id score" with the score to 9 digits: sums of three or more terms may
    // round in a different order.
    const auto summary = [](const QJsonObject &o) {
        std::string s = "total " + std::to_string(o.value("total").toInt()) + " exact_total " +
                        std::to_string(o.value("exact_total").toInt()) + "\n";
        for (const auto &h : o.value("hits").toArray()) {
            char score[32];
            std::snprintf(score, sizeof score, "%.9g", h.toObject().value("score").toDouble());
            s += h.toObject().value("id").toString().toStdString() + " " + score + "\n";
        }
        return s + compact(o.value("facets").toObject());
    };
    const auto info = [](httplib::Client &c) { return parse(c.Get("/api/info")->body); };
    // With the in-memory ranking on (the default) and with its one switch off: the same
    // answers, and the counter shows which path gave them.
    for (const bool inMemory : {true, false}) {
        ServeProcess server(
            dir.path(), {},
            inMemory ? std::map<std::string, std::string>{}
                     : std::map<std::string, std::string>{{"KB_SERVE_RANK_IN_MEMORY", "0"}});
        httplib::Client c("127.0.0.1", server.port());
        ASSERT_EQ(c.Get("/api/search?q=warm")->status, 200); // the second search on an index
                                                             // revision ranks from memory
        EXPECT_EQ(info(c)["rank_in_memory"].toBool(), inMemory);
        const int before = info(c)["ranked_in_memory"].toInt();
        int compared = 0;
        for (const std::string &q : queries)
            for (const auto &[offset, limit] : {std::pair{0, 10}, std::pair{7, 5}}) {
                RunResult cli = runKb({"search", "--json", "--exact", "--offset",
                                       std::to_string(offset), "--limit", std::to_string(limit), q},
                                      dir.path());
                ASSERT_LE(cli.exitCode, 1) << q << ": " << cli.err; // 1: nothing found
                auto r = c.Get(("/api/search?exact=1&offset=" + std::to_string(offset) +
                                "&limit=" + std::to_string(limit) + "&q=" + encode(q))
                                   .c_str());
                ASSERT_TRUE(r && r->status == 200) << q;
                const QJsonObject expected = parse(cli.out);
                EXPECT_EQ(summary(parse(r->body)), summary(expected)) << q << " @" << offset;
                compared += expected.value("hits").toArray().size();
            }
        EXPECT_GT(compared, 150); // most queries have hits on both pages
        const int ranked = info(c)["ranked_in_memory"].toInt() - before;
        if (inMemory) // every query but those with parts only Xapian evaluates
            EXPECT_GE(ranked, int(queries.size())) << "the fast path did not run";
        else
            EXPECT_EQ(ranked, 0);
    }
}

} // namespace

namespace {

std::map<std::string, std::string> filesUnder(const std::string &root)
{
    std::map<std::string, std::string> out;
    for (const auto &e : std::filesystem::recursive_directory_iterator(root))
        if (e.is_regular_file() && e.path().extension() == ".md") {
            std::ifstream in(e.path(), std::ios::binary);
            out[e.path().string()] = std::string(std::istreambuf_iterator<char>(in), {});
        }
    return out;
}

} // namespace

// A client that sends every value back as the API gave it (a form saved unchanged, or a
// script that round-trips records) must not change a byte of any shipped record.
TEST(ServeRoundTrip, EveryShippedRecordSavedUnchangedStaysByteForByte)
{
    TempDir root;
    copyShippedContent(root);
    const auto before = filesUnder(root.path());
    ServeProcess server(root.path());
    httplib::Client c("127.0.0.1", server.port());
    const QJsonArray list = QJsonDocument::fromJson(QByteArray::fromStdString(
                                                        runKb({"list", "--json"}, root.path()).out))
                                .array();
    ASSERT_GE(list.size(), 30);
    int saved = 0;
    for (const auto &item : list) {
        const std::string id = item.toObject()["id"].toString().toStdString();
        auto got = c.Get(("/api/records/" + id).c_str());
        ASSERT_TRUE(got && got->status == 200) << id;
        const QJsonObject rec = parse(got->body);
        if (!rec["editable"].toBool())
            continue;
        QJsonObject fields = rec["values"].toObject();
        for (const char *fixed : {"id", "type", "updated"})
            fields.remove(fixed);
        const QJsonObject edit{
            {"version", rec["version"]}, {"fields", fields}, {"body", rec["body"]}};
        auto put = c.Put(("/api/records/" + id).c_str(), {{"X-KB-Request", "1"}}, compact(edit),
                         "application/json");
        ASSERT_TRUE(put) << id;
        EXPECT_EQ(put->status, 200) << id << ": " << put->body;
        EXPECT_FALSE(parse(put->body)["changed"].toBool()) << id << ": " << put->body;
        ++saved;
    }
    EXPECT_GE(saved, 30);
    const auto after = filesUnder(root.path());
    for (const auto &[path, text] : before)
        EXPECT_EQ(after.at(path), text) << path;
}

TEST_F(ServeTest, APluginRuleThatSaysNoRefusesTheWebWriteByField)
{
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const QJsonObject rec = parse(c.Get(("/api/records/" + improvementId).c_str())->body);
    const std::string path = rec["path"].toString().toStdString();
    const std::string before = dir.read(path);
    // A verification cannot be dated in the future (the improvements rules).
    const QJsonObject edit{{"version", rec["version"]},
                           {"fields", QJsonObject{{"verified_on", "2099-01-01"}}}};
    auto r = c.Put(("/api/records/" + improvementId).c_str(), writeHeaders(), compact(edit),
                   "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << r->body;
    EXPECT_TRUE(parse(r->body)["fields"].toObject().contains("verified_on")) << r->body;
    EXPECT_EQ(dir.read(path), before);
    // The status moves on the board only, whose verb checks the steps (and the right).
    const QJsonObject status{{"version", rec["version"]},
                             {"fields", QJsonObject{{"status", "rejected"}}}};
    auto skipped = c.Put(("/api/records/" + improvementId).c_str(), writeHeaders(),
                         compact(status), "application/json");
    EXPECT_EQ(skipped->status, 422) << skipped->body;
    EXPECT_NE(parse(skipped->body)["fields"].toObject()["status"].toString().indexOf("board"), -1)
        << skipped->body;
    EXPECT_EQ(dir.read(path), before);
}

// Found by a newcomer: "did you mean" confirmed words that only restricted records hold,
// and a PUT with a non-text body wiped the body.
TEST_F(ServeTest, NoSuggestionRevealsRestrictedWordsAndABodyMustBeText)
{
    const std::string token = "s3cret-token-for-tests-0123456789";
    dir.write("token.txt", token + "\n");
    ServeProcess server(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test",
                                     "--token-file", dir.file("token.txt")});
    httplib::Client c("127.0.0.1", server.port());
    const QJsonObject hidden = parse(c.Get("/api/search?q=secretwrod")->body);
    EXPECT_EQ(hidden["suggestion"].toString(), "") << compact(hidden);
    httplib::Headers withToken{{"Authorization", "Bearer " + token}};
    const QJsonObject cleared = parse(c.Get("/api/search?q=secretwrod", withToken)->body);
    EXPECT_EQ(cleared["suggestion"].toString(), "secretword") << compact(cleared);

    const QJsonObject rec = parse(c.Get(("/api/records/" + lessonId).c_str(), withToken)->body);
    const std::string path = rec["path"].toString().toStdString();
    const std::string before = dir.read(path);
    for (const char *body : {"null", "123", "false", "[\"a\"]", "{\"a\":1}"}) {
        const std::string edit = "{\"version\":\"" + rec["version"].toString().toStdString() +
                                 "\",\"fields\":{},\"body\":" + body + "}";
        auto r = c.Put(("/api/records/" + lessonId).c_str(), writeHeaders(token), edit,
                       "application/json");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 422) << body << ": " << r->body;
    }
    EXPECT_EQ(dir.read(path), before);
}
