// Many offices, one content (issue #18, point 5): two kb serve processes on loopback, each
// on its own clone of one bare repository, kept level by --pull and POST /api/pull.
#include "kbrunner.h"
#include "serveprocess.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <functional>
#include <thread>

using namespace kbtest;

namespace {

QJsonObject parse(const std::string &body)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

bool eventually(const std::function<bool()> &done, std::chrono::seconds limit)
{
    const auto start = std::chrono::steady_clock::now();
    while (!done()) {
        if (std::chrono::steady_clock::now() - start > limit)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return true;
}

// A bare repository and two offices' clones of it, each a kb root with history: git.
class OfficesTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(git(shared, {"init", "-q", "--bare", "-b", "main", "."}).exitCode, 0);
        ASSERT_EQ(git(north, {"init", "-q", "-b", "main", "."}).exitCode, 0);
        initRoot(north);
        north.write("kb.yaml", north.read("kb.yaml") + "history: git\n");
        ASSERT_EQ(git(north, {"add", "-A"}).exitCode, 0);
        ASSERT_EQ(git(north, {"commit", "-q", "-m", "the shared knowledge base"}).exitCode, 0);
        ASSERT_EQ(git(north, {"remote", "add", "origin", shared.path()}).exitCode, 0);
        ASSERT_EQ(git(north, {"push", "-q", "-u", "origin", "main"}).exitCode, 0);
        RunResult clone = git(south, {"clone", "-q", shared.path(), "."});
        ASSERT_EQ(clone.exitCode, 0) << clone.err;
    }

    RunResult git(const TempDir &in, std::vector<std::string> args) const
    {
        return setupGit(in.path(), env(), std::move(args));
    }

    std::map<std::string, std::string> env(const std::string &user = "") const
    {
        std::map<std::string, std::string> e{{"GIT_CONFIG_NOSYSTEM", "1"}, {"HOME", home.path()}};
        if (!user.empty())
            e["KB_USER"] = user;
        return e;
    }

    std::string file(const TempDir &office, const std::string &user, const std::string &title)
    {
        RunResult r = runKb(
            {"new", "lesson", "--title", title, "--touchpoint", "tp07-install-cutover", "--json"},
            office.path(), env(user));
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return parse(r.out).value("id").toString().toStdString();
    }

    static int hits(httplib::Client &c, const std::string &word)
    {
        auto r = c.Get(("/api/search?q=" + word).c_str());
        return r ? parse(r->body).value("total").toInt() : -1;
    }

    TempDir home, shared, north, south;
};

TEST_F(OfficesTest, WhatOneOfficeFilesTheOtherFindsAndEditsWithinSeconds)
{
    ServeProcess a(north.path(), {"--pull", "1"}, env());
    ServeProcess b(south.path(), {"--pull", "1"}, env());
    httplib::Client northWeb("127.0.0.1", a.port()), southWeb("127.0.0.1", b.port());

    const std::string id = file(north, "王磊 <wl@example.com>", "北方局割接复盘 borealword");
    ASSERT_TRUE(
        eventually([&] { return hits(southWeb, "borealword") == 1; }, std::chrono::seconds(30)))
        << "south never found what north filed";
    ASSERT_EQ(
        runKb({"edit", id, "--set", "outcome=success"}, south.path(), env("李娜 <ln@x>")).exitCode,
        0);
    ASSERT_TRUE(eventually(
        [&] {
            auto r = northWeb.Get(("/api/records/" + id).c_str());
            return r && r->body.find("李娜") != std::string::npos;
        },
        std::chrono::seconds(30)))
        << "north never saw south's edit";
    // One history, each change by its author, in the shared repository.
    const std::string log = git(shared, {"log", "--format=%an", "main"}).out;
    EXPECT_NE(log.find("李娜\n王磊\n"), std::string::npos) << log;
    const std::string state = parse(northWeb.Get("/api/info")->body)
                                  .value("sync")
                                  .toObject()
                                  .value("state")
                                  .toString()
                                  .toStdString();
    EXPECT_TRUE(state == "up-to-date" || state == "pulled" || state == "pushed") << state;
}

TEST_F(OfficesTest, AHookPullsAtOnceMergesDifferentFilesAndReportsTheSameFileChangedTwice)
{
    const std::string token = "hook-token-0123456789abcdef";
    auto withToken = env();
    withToken["KB_SERVE_TOKEN"] = token;
    ServeProcess a(north.path(), {"--pull", "3600"}, withToken);
    ServeProcess b(south.path(), {"--pull", "3600"}, withToken, south.file(".git/serve.log"));
    httplib::Client northWeb("127.0.0.1", a.port()), southWeb("127.0.0.1", b.port());
    // As a git server's web hook sends it: a token, no body, nothing a browser would add.
    const auto hook = [&](httplib::Client &c) {
        return c.Post("/api/pull", {{"Authorization", "Bearer " + token}}, "", "text/plain");
    };
    auto unguarded = southWeb.Post("/api/pull", "", "text/plain");
    EXPECT_EQ(unguarded->status, 403) << "without the token, the CSRF guard applies";

    // Different files on each side: merged, nothing lost, both servers see both.
    const std::string one = file(north, "north <n@x>", "北方 mergeword 一");
    const std::string two = file(south, "south <s@x>", "南方 mergeword 二");
    auto pushed = hook(northWeb);
    ASSERT_EQ(pushed->status, 200) << pushed->body;
    EXPECT_EQ(parse(pushed->body).value("state").toString().toStdString(), "pushed");
    auto merged = hook(southWeb);
    ASSERT_EQ(merged->status, 200) << merged->body;
    EXPECT_EQ(parse(merged->body).value("state").toString().toStdString(), "merged");
    EXPECT_EQ(hits(southWeb, "mergeword"), 2) << "the index follows the pulled files at once";
    ASSERT_EQ(hook(northWeb)->status, 200);
    EXPECT_EQ(hits(northWeb, "mergeword"), 2);

    // The same record changed in both offices: reported, not merged, each side kept.
    ASSERT_EQ(
        runKb({"edit", one, "--set", "outcome=success"}, north.path(), env("n <n@x>")).exitCode, 0);
    ASSERT_EQ(hook(northWeb)->status, 200);
    ASSERT_EQ(
        runKb({"edit", one, "--set", "outcome=failure"}, south.path(), env("s <s@x>")).exitCode, 0);
    const std::string southPath = "lessons/" + one + ".md";
    const std::string before = south.read(southPath);
    auto conflict = hook(southWeb);
    ASSERT_EQ(conflict->status, 409) << conflict->body;
    const QJsonObject c = parse(conflict->body);
    EXPECT_EQ(c.value("state").toString().toStdString(), "conflict");
    EXPECT_NE(c.value("message").toString().indexOf(QString::fromStdString(southPath)), -1)
        << conflict->body;
    EXPECT_EQ(south.read(southPath), before);
    EXPECT_NE(before.find("outcome: failure"), std::string::npos);
    EXPECT_NE(north.read(southPath).find("outcome: success"), std::string::npos);
    EXPECT_EQ(parse(southWeb.Get("/api/info")->body)
                  .value("sync")
                  .toObject()
                  .value("state")
                  .toString()
                  .toStdString(),
              "conflict");
    EXPECT_NE(south.read(".git/serve.log")
                  .find("kb serve: pull: this office and origin/main both "
                        "changed " +
                        southPath),
              std::string::npos)
        << south.read(".git/serve.log");
}

TEST_F(OfficesTest, PullOnARootWithoutARemoteIsRefusedAtStart)
{
    TempDir lone;
    ASSERT_EQ(git(lone, {"init", "-q", "."}).exitCode, 0);
    initRoot(lone);
    RunResult unborn = runKb({"serve", "--port", "0", "--pull", "5"}, lone.path(), env());
    EXPECT_EQ(unborn.exitCode, 2);
    EXPECT_NE(unborn.err.find("no commit yet"), std::string::npos) << unborn.err;
    ASSERT_EQ(git(lone, {"add", "-A"}).exitCode, 0);
    ASSERT_EQ(git(lone, {"commit", "-q", "-m", "root"}).exitCode, 0);
    RunResult r = runKb({"serve", "--port", "0", "--pull", "5"}, lone.path(), env());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--pull: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no remote 'origin'"), std::string::npos) << r.err;
    RunResult bad = runKb({"serve", "--port", "0", "--pull", "soon"}, lone.path(), env());
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("--pull needs a number of seconds"), std::string::npos) << bad.err;
}

} // namespace
