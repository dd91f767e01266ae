// Local accounts, sign-in sessions and clearance by group (issue #18): what a person
// sees through kb serve, and what `kb user` leaves on disk.
#include "kbrunner.h"
#include "serveprocess.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/stat.h>

#include <chrono>
#include <thread>

using namespace kbtest;

namespace {

QJsonObject parse(const std::string &body)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

class AccountsTest : public ::testing::Test {
protected:
    void SetUp() override { initRoot(dir); }

    std::string newRecord(std::vector<std::string> args)
    {
        return newRecordId(dir, std::move(args));
    }

    void addUser(const std::string &name, const std::string &password,
                 const std::vector<std::string> &groups = {})
    {
        std::vector<std::string> args = {"user", "add", name};
        for (const std::string &g : groups) {
            args.push_back("--group");
            args.push_back(g);
        }
        RunResult r = runKb(args, dir.path(), {}, password + "\n");
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }

    void serveSettings(const std::string &lines)
    {
        dir.write("kb.yaml", dir.read("kb.yaml") + "serve:\n" + lines);
    }

    // Signs in; the session cookie ("kb_session=...") or "" with the response's status.
    static std::string signIn(httplib::Client &c, const std::string &name,
                              const std::string &password, int *status = nullptr,
                              std::string *setCookie = nullptr)
    {
        const QJsonObject body{{"name", QString::fromStdString(name)},
                               {"password", QString::fromStdString(password)}};
        auto r = c.Post("/api/login", {{"X-KB-Request", "1"}},
                        QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString(),
                        "application/json");
        if (!r)
            return {};
        if (status)
            *status = r->status;
        const std::string cookie = r->get_header_value("Set-Cookie");
        if (setCookie)
            *setCookie = cookie;
        return r->status == 200 ? cookie.substr(0, cookie.find(';')) : std::string();
    }

    static httplib::Headers as(const std::string &cookie)
    {
        httplib::Headers h{{"X-KB-Request", "1"}};
        if (!cookie.empty())
            h.emplace("Cookie", cookie);
        return h;
    }

    static std::string userOf(httplib::Client &c, const std::string &cookie)
    {
        return parse(c.Get("/api/info", as(cookie))->body).value("user").toString().toStdString();
    }

    TempDir dir;
};

TEST_F(AccountsTest, AccountsAreManagedOnTheCommandLineAndKeptOnlyAsArgon2idHashes)
{
    addUser("alice", "correct horse battery", {"delivery", "managers"});
    const std::string file = dir.read(".kb/users.json");
    EXPECT_NE(file.find("$argon2id$"), std::string::npos) << file;
    EXPECT_EQ(file.find("correct horse"), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat(dir.file(".kb/users.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    RunResult list = runKb({"user", "list"}, dir.path());
    EXPECT_EQ(list.exitCode, 0);
    EXPECT_NE(list.out.find("alice"), std::string::npos);
    EXPECT_NE(list.out.find("[delivery,managers]"), std::string::npos) << list.out;

    RunResult again = runKb({"user", "add", "alice"}, dir.path(), {}, "another password\n");
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_NE(again.err.find("already a user 'alice'"), std::string::npos) << again.err;
    RunResult shortOne = runKb({"user", "add", "bob"}, dir.path(), {}, "short\n");
    EXPECT_EQ(shortOne.exitCode, 1);
    EXPECT_NE(shortOne.err.find("at least 8"), std::string::npos) << shortOne.err;
    RunResult spaced = runKb({"user", "add", "bob smith"}, dir.path(), {}, "long enough pw\n");
    EXPECT_EQ(spaced.exitCode, 1);

    RunResult passwd = runKb({"user", "passwd", "alice"}, dir.path(), {}, "a new password\n");
    EXPECT_EQ(passwd.exitCode, 0) << passwd.err;
    EXPECT_NE(dir.read(".kb/users.json"), file); // a new salt and hash
    RunResult groups = runKb({"user", "groups", "alice", "--group", "sales"}, dir.path());
    EXPECT_EQ(groups.exitCode, 0) << groups.err;
    EXPECT_NE(runKb({"user", "list"}, dir.path()).out.find("[sales]"), std::string::npos);
    EXPECT_EQ(runKb({"user", "remove", "nobody"}, dir.path()).exitCode, 1);
    EXPECT_EQ(runKb({"user", "remove", "alice"}, dir.path()).exitCode, 0);
    EXPECT_EQ(runKb({"user", "list"}, dir.path()).out, "no users\n");
}

TEST_F(AccountsTest, ASignInGivesAStrictHttpOnlyCookieAndTheGroupsDecideEachKindOfWrite)
{
    const std::string improvement =
        newRecord({"improvement", "--title", "割接前全量配置比对", "--source", "retrospective",
                   "--owner", "王磊", "--due", "2030-01-31"});
    addUser("alice", "alice password", {"delivery"});
    addUser("bob", "bob password", {"sales"});
    addUser("carol", "carol password", {"managers"});
    serveSettings("  groups:\n"
                  "    delivery: [file, edit]\n"
                  "    managers: [read-restricted, file, edit, move]\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const std::string body =
        R"({"type":"lesson","title":"登录后填写","fields":{"touchpoint":["tp01-proposal"]}})";

    // With accounts, loopback is no one special: a stranger reads, and signs in to write.
    auto anon = c.Post("/api/records", as(""), body, "application/json");
    EXPECT_EQ(anon->status, 401) << anon->body;
    const QJsonObject info = parse(c.Get("/api/info")->body);
    EXPECT_TRUE(info.value("sign_in").toBool());
    EXPECT_FALSE(info.value("can_write").toBool());

    int status = 0;
    EXPECT_EQ(signIn(c, "alice", "wrong password", &status), "");
    EXPECT_EQ(status, 401);
    EXPECT_EQ(signIn(c, "nobody", "alice password", &status), "");
    EXPECT_EQ(status, 401); // the same answer: no telling which names exist
    std::string setCookie;
    const std::string alice = signIn(c, "alice", "alice password", &status, &setCookie);
    ASSERT_EQ(status, 200);
    EXPECT_EQ(alice.rfind("kb_session=", 0), 0u) << setCookie;
    EXPECT_NE(setCookie.find("; HttpOnly"), std::string::npos) << setCookie;
    EXPECT_NE(setCookie.find("; SameSite=Strict"), std::string::npos) << setCookie;
    EXPECT_NE(setCookie.find("; Max-Age=43200"), std::string::npos) << setCookie;
    EXPECT_EQ(setCookie.find("Secure"), std::string::npos) << "plain HTTP: no Secure flag";
    EXPECT_EQ(userOf(c, alice), "alice");

    auto filed = c.Post("/api/records", as(alice), body, "application/json");
    ASSERT_EQ(filed->status, 201) << filed->body;
    const std::string path = parse(filed->body).value("path").toString().toStdString();
    EXPECT_NE(dir.read(path).find("updated_by: alice\n"), std::string::npos) << dir.read(path);

    // A sign-in from another site's page is refused like any cross-site write.
    auto crossSite = c.Post("/api/login", {{"X-KB-Request", "1"}, {"Sec-Fetch-Site", "cross-site"}},
                            R"({"name":"alice","password":"alice password"})", "application/json");
    EXPECT_EQ(crossSite->status, 403);

    // Each kind of write is its own right: alice files and edits but does not move cards,
    // and no form changes the board's column field behind the board's back.
    const QJsonObject move{{"id", QString::fromStdString(improvement)}, {"to", "accepted"}};
    const std::string moveBody = QJsonDocument(move).toJson(QJsonDocument::Compact).toStdString();
    auto moved =
        c.Post("/api/views/improvements/board/move", as(alice), moveBody, "application/json");
    EXPECT_EQ(moved->status, 403) << moved->body;
    EXPECT_NE(moved->body.find("'alice' may not move cards"), std::string::npos) << moved->body;
    const QJsonObject page = parse(c.Get(("/api/records/" + improvement).c_str(), as(alice))->body);
    const QJsonObject put{{"version", page.value("version")},
                          {"fields", QJsonObject{{"status", "accepted"}}}};
    auto sneaked =
        c.Put(("/api/records/" + improvement).c_str(), as(alice),
              QJsonDocument(put).toJson(QJsonDocument::Compact).toStdString(), "application/json");
    EXPECT_EQ(sneaked->status, 422) << sneaked->body;
    EXPECT_NE(sneaked->body.find("moving the card on the board"), std::string::npos)
        << sneaked->body;
    const std::string improvementPath = "improvements/" + improvement + ".md";
    EXPECT_NE(dir.read(improvementPath).find("status: proposed"), std::string::npos);

    const std::string carol = signIn(c, "carol", "carol password");
    auto managed =
        c.Post("/api/views/improvements/board/move", as(carol), moveBody, "application/json");
    EXPECT_EQ(managed->status, 200) << managed->body;
    EXPECT_NE(dir.read(improvementPath).find("status: accepted"), std::string::npos);

    // bob is in no group that writes.
    const std::string bob = signIn(c, "bob", "bob password");
    auto refused = c.Post("/api/records", as(bob), body, "application/json");
    EXPECT_EQ(refused->status, 403);
    EXPECT_NE(refused->body.find("'bob' is in none of the groups that may write"),
              std::string::npos)
        << refused->body;

    // Signing out ends that session on the server, not only in the browser.
    auto out = c.Post("/api/logout", as(alice), "{}", "application/json");
    EXPECT_EQ(out->status, 200);
    EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(userOf(c, alice), "");
    EXPECT_EQ(c.Post("/api/records", as(alice), body, "application/json")->status, 401);
    EXPECT_EQ(userOf(c, carol), "carol");
}

TEST_F(AccountsTest, ASessionEndsWhenItExpiresAndWhenThePasswordOrTheAccountChanges)
{
    addUser("alice", "alice password");
    serveSettings("  session_timeout: 2\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const std::string first = signIn(c, "alice", "alice password");
    EXPECT_EQ(userOf(c, first), "alice");
    std::this_thread::sleep_for(std::chrono::milliseconds(2300));
    EXPECT_EQ(userOf(c, first), "") << "expired after session_timeout";

    const std::string second = signIn(c, "alice", "alice password");
    EXPECT_EQ(userOf(c, second), "alice");
    ASSERT_EQ(runKb({"user", "passwd", "alice"}, dir.path(), {}, "another password\n").exitCode, 0);
    EXPECT_EQ(userOf(c, second), "") << "a new password ends the old sessions";
    EXPECT_EQ(signIn(c, "alice", "alice password"), "");

    const std::string third = signIn(c, "alice", "another password");
    EXPECT_EQ(userOf(c, third), "alice");
    ASSERT_EQ(runKb({"user", "remove", "alice"}, dir.path()).exitCode, 0);
    EXPECT_EQ(userOf(c, third), "");
}

TEST_F(AccountsTest, FailedSignInsAreLimitedPerNameAndPerAddress)
{
    addUser("alice", "alice password");
    addUser("bob", "bob password");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    int status = 0;
    for (int i = 0; i < 5; ++i) {
        signIn(c, "alice", "guess " + std::to_string(i), &status);
        EXPECT_EQ(status, 401);
    }
    // Locked for a while, even with the right password: guessing gets no faster.
    auto locked = c.Post("/api/login", {{"X-KB-Request", "1"}},
                         R"({"name":"alice","password":"alice password"})", "application/json");
    EXPECT_EQ(locked->status, 429) << locked->body;
    EXPECT_GT(std::atoi(locked->get_header_value("Retry-After").c_str()), 0);
    // Another name from the same address is not locked yet...
    EXPECT_NE(signIn(c, "bob", "bob password"), "");
    // ...until the address has failed too often across names.
    for (int i = 0; i < 15; ++i)
        signIn(c, "name" + std::to_string(i), "guess", &status);
    signIn(c, "bob", "bob password", &status);
    EXPECT_EQ(status, 429);
}

// Behind a trusted proxy every person arrives from the proxy's address: the limits count
// the address the proxy forwards, so guesses from one person lock out only that person.
TEST_F(AccountsTest, AStrangerGuessingElsewhereDoesNotLockAPersonOut)
{
    addUser("wang", "wang password");
    serveSettings("  trusted_proxies: [127.0.0.1]\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const auto attempt = [&](const std::string &from, const std::string &password) {
        auto r = c.Post("/api/login", {{"X-KB-Request", "1"}, {"X-Forwarded-For", from}},
                        R"({"name":"wang","password":")" + password + R"("})", "application/json");
        return r ? r->status : -1;
    };
    for (int i = 0; i < 8; ++i)
        attempt("203.0.113.9", "guess " + std::to_string(i));
    EXPECT_EQ(attempt("203.0.113.9", "wang password"), 429) << "the guesser is locked out";
    EXPECT_EQ(attempt("10.1.2.3", "wang password"), 200) << "wang, elsewhere, is not";
    // A new password (here from the command line) lifts the locks on the name: how an
    // administrator lets a locked-out person back in.
    RunResult passwd = runKb({"user", "passwd", "wang"}, dir.path(), {}, "wang's new one\n");
    ASSERT_EQ(passwd.exitCode, 0) << passwd.err;
    EXPECT_EQ(attempt("203.0.113.9", "wang's new one"), 200);
}

TEST_F(AccountsTest, AnonymousReadersSeeNothingOnlyPublicOrAlsoInternalRecordsAsConfigured)
{
    const std::string open = newRecord({"lesson", "--title", "公开经验 sharedword", "--touchpoint",
                                        "tp01-proposal", "--confidentiality", "public"});
    const std::string inside =
        newRecord({"lesson", "--title", "内部经验 sharedword", "--touchpoint", "tp01-proposal"});
    const std::string secret =
        newRecord({"lesson", "--title", "受限经验 sharedword", "--touchpoint", "tp01-proposal",
                   "--confidentiality", "restricted"});
    addUser("alice", "alice password");
    const std::string yaml = dir.read("kb.yaml");
    const auto ids = [](const std::string &body) {
        std::vector<std::string> out;
        for (const QJsonValue &h : parse(body).value("hits").toArray())
            out.push_back(h.toObject().value("id").toString().toStdString());
        std::sort(out.begin(), out.end());
        return out;
    };
    const auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    {
        dir.write("kb.yaml", yaml + "serve:\n  anonymous: none\n");
        ServeProcess server(dir.path());
        httplib::Client c("127.0.0.1", server.port());
        auto search = c.Get("/api/search?q=sharedword");
        EXPECT_EQ(search->status, 401) << search->body;
        EXPECT_EQ(c.Get(("/api/records/" + open).c_str())->status, 401);
        EXPECT_EQ(c.Get("/api/schema")->status, 401);
        EXPECT_EQ(c.Get("/api/info")->status, 200); // the page learns it must offer a sign-in
        EXPECT_EQ(c.Get("/login")->status, 200);
        const std::string alice = signIn(c, "alice", "alice password");
        EXPECT_EQ(ids(c.Get("/api/search?q=sharedword", as(alice))->body), sorted({open, inside}));
    }
    {
        dir.write("kb.yaml", yaml + "serve:\n  anonymous: read-public\n");
        ServeProcess server(dir.path());
        httplib::Client c("127.0.0.1", server.port());
        auto search = c.Get("/api/search?q=sharedword");
        EXPECT_EQ(ids(search->body), std::vector<std::string>{open}) << search->body;
        EXPECT_EQ(parse(search->body).value("total").toInt(), 1);
        EXPECT_EQ(c.Get(("/api/records/" + open).c_str())->status, 200);
        EXPECT_EQ(c.Get(("/api/records/" + inside).c_str())->status, 404);
        EXPECT_EQ(c.Get(("/api/similar?id=" + inside).c_str())->status, 404);
        const QJsonArray listed =
            parse(c.Get("/api/records?type=lesson")->body).value("records").toArray();
        EXPECT_EQ(listed.size(), 1);
    }
    {
        dir.write("kb.yaml", yaml + "serve:\n  anonymous: read-internal\n");
        ServeProcess server(dir.path());
        httplib::Client c("127.0.0.1", server.port());
        EXPECT_EQ(ids(c.Get("/api/search?q=sharedword")->body), sorted({open, inside}));
        EXPECT_EQ(c.Get(("/api/records/" + secret).c_str())->status, 404);
    }
    dir.write("kb.yaml", yaml + "serve:\n  anonymous: everyone\n");
    RunResult bad = runKb({"serve", "--port", "0"}, dir.path());
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("anonymous: 'everyone' is not one of none, read-public, read-internal"),
              std::string::npos)
        << bad.err;
}

} // namespace

TEST_F(AccountsTest, APersonWithTheUsersRightManagesAccountsFromTheWebAndOthersMayNot)
{
    addUser("admin", "admin password", {"admins"});
    addUser("bob", "bob password", {"sales"});
    serveSettings("  groups:\n"
                  "    admins: [users, edit]\n"
                  "    sales: [file]\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const std::string admin = signIn(c, "admin", "admin password");
    const std::string bob = signIn(c, "bob", "bob password");
    ASSERT_FALSE(admin.empty());
    ASSERT_FALSE(bob.empty());
    const auto send = [&](const char *method, const std::string &path, const std::string &cookie,
                          const QJsonObject &body) {
        const std::string json = QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString();
        httplib::Result r =
            std::string(method) == "POST"  ? c.Post(path, as(cookie), json, "application/json")
            : std::string(method) == "PUT" ? c.Put(path, as(cookie), json, "application/json")
                                           : c.Delete(path, as(cookie), json, "application/json");
        return r ? r->status : -1;
    };

    // Who may: the users right; a signed-in person without it gets 403, a stranger 401.
    auto listed = c.Get("/api/users", as(admin));
    ASSERT_EQ(listed->status, 200) << listed->body;
    const QJsonArray users = parse(listed->body).value("users").toArray();
    ASSERT_EQ(users.size(), 2);
    EXPECT_EQ(users[0].toObject().value("sessions").toInt(), 1);
    EXPECT_EQ(users[1].toObject().value("rights").toArray().contains("file"), true);
    EXPECT_EQ(listed->body.find("argon2id"), std::string::npos) << "no hash leaves the server";
    EXPECT_EQ(c.Get("/api/users", as(bob))->status, 403);
    EXPECT_EQ(c.Get("/api/users", as(""))->status, 401);
    EXPECT_EQ(
        send("POST", "/api/users", bob, {{"name", "mallory"}, {"password", "mallory password"}}),
        403);
    EXPECT_EQ(c.Get("/users")->status, 200); // the page itself
    // Bob may file, but not a record he could not read once it is filed.
    const QJsonObject restricted{{"type", "lesson"},
                                 {"title", "限制级的复盘"},
                                 {"fields", QJsonObject{{"touchpoint", "tp07-install-cutover"},
                                                        {"confidentiality", "restricted"}}}};
    EXPECT_EQ(send("POST", "/api/records", bob, restricted), 403);
    QJsonObject internal = restricted;
    internal["fields"] = QJsonObject{{"touchpoint", "tp07-install-cutover"}};
    EXPECT_EQ(send("POST", "/api/records", bob, internal), 201);

    // Add, with a group kb.yaml names; an unknown group or a short password is refused.
    EXPECT_EQ(
        send("POST", "/api/users", admin,
             {{"name", "carol"}, {"password", "carol password"}, {"groups", QJsonArray{"salse"}}}),
        422);
    EXPECT_EQ(send("POST", "/api/users", admin,
                   {{"name", "carol"}, {"password", "short"}, {"groups", QJsonArray{"sales"}}}),
              422);
    EXPECT_EQ(
        send("POST", "/api/users", admin,
             {{"name", "carol"}, {"password", "carol password"}, {"groups", QJsonArray{"sales"}}}),
        201);
    EXPECT_EQ(
        send("POST", "/api/users", admin, {{"name", "carol"}, {"password", "carol password"}}),
        422); // taken
    std::string carol = signIn(c, "carol", "carol password");
    EXPECT_EQ(userOf(c, carol), "carol");
    EXPECT_NE(runKb({"user", "list"}, dir.path()).out.find("carol"), std::string::npos)
        << "the web and the CLI keep one file";

    // New groups take effect on the next request; a reset password ends her sessions.
    EXPECT_EQ(send("PUT", "/api/users/carol", admin, {{"groups", QJsonArray{"admins"}}}), 200);
    EXPECT_EQ(c.Get("/api/users", as(carol))->status, 200);
    EXPECT_EQ(send("PUT", "/api/users/carol", admin, {{"password", "carol's new password"}}), 200);
    EXPECT_EQ(userOf(c, carol), "");
    EXPECT_TRUE(signIn(c, "carol", "carol password").empty());
    carol = signIn(c, "carol", "carol's new password");
    EXPECT_FALSE(carol.empty());
    EXPECT_EQ(send("PUT", "/api/users/nobody", admin, {{"groups", QJsonArray{}}}), 404);

    // Nor takes the users right from themselves, nor passes for someone else.
    EXPECT_EQ(send("PUT", "/api/users/admin", admin, {{"groups", QJsonArray{"sales"}}}), 409);
    EXPECT_EQ(send("PUT", "/api/users/carol", admin, {{"group", QJsonArray{"sales"}}}), 422);
    // Every answer a page shows comes in Chinese too, where the server knows the words.
    auto typoGroup =
        c.Put("/api/users/carol", as(admin), R"({"groups": ["salse"]})", "application/json");
    EXPECT_EQ(parse(typoGroup->body).value("error_zh").toString().toStdString(),
              "kb.yaml 中没有组“salse”(serve: groups 中有: admins, sales)")
        << typoGroup->body;
    auto badQuery = c.Get("/api/search?q=%22unclosed", as(admin));
    EXPECT_NE(parse(badQuery->body).value("error_zh").toString().toStdString().find("引号未闭合"),
              std::string::npos)
        << badQuery->body;
    for (const char *lookalike : {"ADMIN", "ad\u200bmin", "a/b", "admin\xc2\xa0", "  ", ".."})
        EXPECT_EQ(send("POST", "/api/users", admin,
                       {{"name", QString::fromUtf8(lookalike)}, {"password", "long enough pw"}}),
                  422)
            << lookalike;
    RunResult typo =
        runKb({"user", "add", "dave", "--group", "salse"}, dir.path(), {}, "dave password\n");
    EXPECT_EQ(typo.exitCode, 1);
    EXPECT_NE(typo.err.find("names no group 'salse'"), std::string::npos) << typo.err;

    // Nobody removes themselves from the web; removing another ends their sessions.
    EXPECT_EQ(send("DELETE", "/api/users/admin", admin, {}), 409);
    EXPECT_EQ(send("DELETE", "/api/users/carol", admin, {}), 200);
    EXPECT_EQ(userOf(c, carol), "");
    EXPECT_EQ(runKb({"user", "list"}, dir.path()).out.find("carol"), std::string::npos);

    // Bob, who may only file, changes his own password given the current one; his browser
    // stays signed in with the fresh cookie, his other sessions end.
    const std::string bobElsewhere = signIn(c, "bob", "bob password");
    const std::string change =
        QJsonDocument(QJsonObject{{"current", "not it at all"}, {"password", "bob's new password"}})
            .toJson(QJsonDocument::Compact)
            .toStdString();
    auto wrong = c.Post("/api/password", as(bob), change, "application/json");
    EXPECT_EQ(wrong->status, 403) << wrong->body;
    const std::string right =
        QJsonDocument(QJsonObject{{"current", "bob password"}, {"password", "bob's new password"}})
            .toJson(QJsonDocument::Compact)
            .toStdString();
    auto changed = c.Post("/api/password", as(bob), right, "application/json");
    ASSERT_EQ(changed->status, 200) << changed->body;
    const std::string cookie = changed->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_EQ(userOf(c, cookie.substr(0, cookie.find(';'))), "bob");
    EXPECT_EQ(userOf(c, bobElsewhere), "");
    EXPECT_EQ(c.Post("/api/password", as(""), right, "application/json")->status, 401);
}

// The first account made from the web, by whoever runs the server on this machine, must be
// able to manage accounts: once it exists loopback is no one special, so any other first
// account would lock its maker out of the page.
TEST_F(AccountsTest, TheFirstAccountMadeFromTheWebMustBeAbleToManageAccounts)
{
    serveSettings("  groups:\n    admins: [users, edit]\n    sales: [file]\n");
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    const auto add = [&](const char *name, const char *group) {
        const QJsonObject body{
            {"name", name}, {"password", "long enough pw"}, {"groups", QJsonArray{group}}};
        auto r = c.Post("/api/users", as(""),
                        QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString(),
                        "application/json");
        return r ? r->status : -1;
    };
    EXPECT_EQ(add("dana", "sales"), 409);
    EXPECT_EQ(runKb({"user", "list"}, dir.path()).out, "no users\n");
    EXPECT_EQ(add("wang", "admins"), 201);
    // From now on this machine, too, must sign in.
    EXPECT_EQ(add("dana", "sales"), 401);
    const std::string wang = signIn(c, "wang", "long enough pw");
    EXPECT_EQ(c.Get("/api/users", as(wang))->status, 200);
}
