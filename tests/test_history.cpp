// Who did what: every write through kb names its author in `updated_by` and, with
// `history: git`, is one commit by that author; `kb log` lists a record's versions and
// `kb restore` writes one back. git itself (the command) is the oracle here.
#include "kbrunner.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <string>
#include <vector>

using namespace kbtest;

namespace {

QJsonObject parse(const std::string &json)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

std::vector<std::string> linesOf(const std::string &s)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    for (std::size_t nl; (nl = s.find('\n', at)) != std::string::npos; at = nl + 1)
        out.push_back(s.substr(at, nl - at));
    return out;
}

// A kb root that is a git work tree with one commit, history on.
class History : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(git({"init", "-q", "."}).exitCode, 0);
        initRoot(dir);
        dir.write("kb.yaml", dir.read("kb.yaml") + "history: git\n");
        ASSERT_EQ(git({"add", "-A"}).exitCode, 0);
        ASSERT_EQ(git({"commit", "-q", "-m", "the root"}).exitCode, 0);
    }

    RunResult git(std::vector<std::string> args)
    {
        args.insert(args.begin(),
                    {"git", "-c", "user.name=Setup", "-c", "user.email=s@example.com"});
        return runProgram(args, dir.path(), home);
    }
    RunResult kbAs(const std::string &who, const std::vector<std::string> &args)
    {
        auto env = home;
        env["KB_USER"] = who;
        env["KB_TODAY"] = "2026-11-22";
        return runKb(args, dir.path(), env);
    }
    // "author|email|subject", newest first.
    std::vector<std::string> commits() { return linesOf(git({"log", "--format=%an|%ae|%s"}).out); }
    std::string newImprovement()
    {
        RunResult r =
            kbAs("王磊 <wl@example.com>", {"new", "improvement", "--title", "割接前全量配置比对",
                                           "--source", "retrospective", "--json"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return parse(r.out).value("id").toString().toStdString();
    }

    TempDir dir;
    TempDir homeDir; // no global git configuration of whoever runs the tests
    std::map<std::string, std::string> home{{"HOME", homeDir.path()},
                                            {"XDG_CONFIG_HOME", homeDir.path()},
                                            {"GIT_CONFIG_NOSYSTEM", "1"}};
};

} // namespace

TEST_F(History, EveryWriteIsOneCommitByItsAuthorSayingWhatChanged)
{
    // Something the user staged by hand stays theirs: neither committed nor unstaged.
    dir.write("notes/draft.md", "half written\n");
    ASSERT_EQ(git({"add", "notes/draft.md"}).exitCode, 0);

    const std::string id = newImprovement();
    ASSERT_EQ(kbAs("Li Si <li@example.com>",
                   {"edit", id, "--set", "owner=王磊", "--set", "due=2027-01-31"})
                  .exitCode,
              0);
    RunResult moved = kbAs("赵敏 <zm@example.com>", {"improvements", "status", id, "accepted"});
    ASSERT_EQ(moved.exitCode, 0) << moved.err;

    const std::vector<std::string> log = commits();
    ASSERT_EQ(log.size(), 4u) << git({"log"}).out;
    EXPECT_EQ(log[0],
              "赵敏|zm@example.com|improvement " + id + ": status proposed → accepted, body +1 −0");
    EXPECT_EQ(log[1].substr(0, log[1].find('|', log[1].find('|') + 1)), "Li Si|li@example.com");
    EXPECT_NE(log[1].find("owner (none) → 王磊"), std::string::npos) << log[1];
    EXPECT_NE(log[1].find("due (none) → 2027-01-31"), std::string::npos) << log[1];
    EXPECT_EQ(log[2], "王磊|wl@example.com|improvement " + id + ": filed");
    EXPECT_EQ(log[3], "Setup|s@example.com|the root");

    const std::string path = "improvements/" + id + ".md";
    const std::string text = dir.read(path);
    EXPECT_NE(text.find("updated_by: 赵敏\n"), std::string::npos) << text;
    EXPECT_NE(text.find("- 2026-11-22 赵敏: proposed → accepted"), std::string::npos) << text;
    // The committed file is the file on disk, and the index agrees with both.
    EXPECT_EQ(git({"show", "HEAD:" + path}).out, text);
    EXPECT_EQ(git({"status", "--porcelain"}).out, "A  notes/draft.md\n");
    // Each commit touched its one file.
    EXPECT_EQ(git({"show", "--name-only", "--format=", "HEAD"}).out, path + "\n");
}

TEST_F(History, LogListsTheVersionsAndRestoreWritesOneBackAsANewChange)
{
    const std::string id = newImprovement();
    ASSERT_EQ(kbAs("Li Si <li@example.com>", {"edit", id, "--set", "priority=critical"}).exitCode,
              0);
    ASSERT_EQ(
        kbAs("Li Si <li@example.com>", {"edit", id, "--append", "补充:比对脚本已上线。"}).exitCode,
        0);
    RunResult log = kbAs("x", {"log", id, "--json"});
    ASSERT_EQ(log.exitCode, 0) << log.err;
    QJsonArray versions = parse(log.out).value("versions").toArray();
    ASSERT_EQ(versions.size(), 3);
    const QJsonObject newest = versions[0].toObject(), middle = versions[1].toObject();
    EXPECT_EQ(newest.value("author").toString().toStdString(), "Li Si");
    EXPECT_GE(newest.value("body").toObject().value("added").toInt(), 1) << log.out;
    EXPECT_EQ(newest.value("body").toObject().value("removed").toInt(), 0) << log.out;
    const QJsonArray changes = middle.value("changes").toArray();
    ASSERT_EQ(changes.size(), 1) << log.out; // updated and updated_by are not changes
    EXPECT_EQ(changes[0].toObject().value("field").toString(), "priority");
    EXPECT_EQ(changes[0].toObject().value("before").toString(), "major");
    EXPECT_EQ(changes[0].toObject().value("after").toString(), "critical");
    EXPECT_EQ(versions[2].toObject().value("author").toString().toStdString(), "王磊");

    RunResult human = kbAs("x", {"log", id});
    EXPECT_NE(human.out.find("priority: major → critical"), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("(the first version)"), std::string::npos) << human.out;

    // Back to the first version, by someone else: a new commit, nothing lost.
    const std::string first = versions[2].toObject().value("short").toString().toStdString();
    RunResult restored = kbAs("赵敏 <zm@example.com>", {"restore", id, first});
    ASSERT_EQ(restored.exitCode, 0) << restored.err;
    const std::string text = dir.read("improvements/" + id + ".md");
    EXPECT_NE(text.find("priority: major"), std::string::npos) << text;
    EXPECT_EQ(text.find("比对脚本已上线"), std::string::npos) << text;
    EXPECT_NE(text.find("updated_by: 赵敏"), std::string::npos) << text;
    const std::vector<std::string> after = commits();
    ASSERT_EQ(after.size(), 5u);
    EXPECT_EQ(after[0].rfind("赵敏|zm@example.com|improvement " + id + ": restored " + first, 0),
              0u)
        << after[0];
    versions = parse(kbAs("x", {"log", id, "--json"}).out).value("versions").toArray();
    EXPECT_EQ(versions.size(), 4);
    // The version it replaced is still there to restore.
    EXPECT_NE(git({"show", "HEAD~1:improvements/" + id + ".md"}).out.find("比对脚本已上线"),
              std::string::npos);

    // Unknown and ambiguous versions are refused with the reason.
    RunResult unknown = kbAs("x", {"restore", id, "0000000"});
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_NE(unknown.err.find("has no version '0000000'"), std::string::npos) << unknown.err;
    EXPECT_EQ(kbAs("x", {"restore", id, "xyz"}).exitCode, 2);
}

TEST_F(History, WithoutKbUserTheGitIdentityAndThenTheLoginNameAreTheAuthor)
{
    ASSERT_EQ(runProgram({"git", "config", "user.name", "仓库身份"}, dir.path(), home).exitCode, 0);
    ASSERT_EQ(
        runProgram({"git", "config", "user.email", "repo@example.com"}, dir.path(), home).exitCode,
        0);
    auto env = home;
    env["KB_USER"] = ""; // not set: who the git configuration says
    env["USER"] = "login-name";
    RunResult made =
        runKb({"new", "lesson", "--title", "身份", "--touchpoint", "tp01-proposal", "--json"},
              dir.path(), env);
    ASSERT_EQ(made.exitCode, 0) << made.err;
    EXPECT_EQ(commits()[0].rfind("仓库身份|repo@example.com|", 0), 0u) << commits()[0];
    ASSERT_EQ(runProgram({"git", "config", "--unset", "user.name"}, dir.path(), home).exitCode, 0);
    ASSERT_EQ(runProgram({"git", "config", "--unset", "user.email"}, dir.path(), home).exitCode, 0);
    const std::string id = parse(made.out).value("id").toString().toStdString();
    ASSERT_EQ(runKb({"edit", id, "--set", "outcome=success"}, dir.path(), env).exitCode, 0);
    EXPECT_EQ(commits()[0].rfind("login-name|login-name@", 0), 0u) << commits()[0];
    EXPECT_NE(dir.read(parse(made.out).value("path").toString().toStdString())
                  .find("updated_by: login-name\n"),
              std::string::npos);
}

TEST(HistoryOff, OutsideAGitWorkTreeWritesStillWorkAndLogSaysWhy)
{
    TempDir dir;
    initRoot(dir);
    dir.write("kb.yaml", dir.read("kb.yaml") + "history: git\n");
    RunResult made =
        runKb({"new", "lesson", "--title", "无仓库", "--touchpoint", "tp01-proposal", "--json"},
              dir.path());
    ASSERT_EQ(made.exitCode, 0) << made.err;
    EXPECT_NE(made.err.find("is saved but not committed to the history"), std::string::npos)
        << made.err;
    const std::string id = parse(made.out).value("id").toString().toStdString();
    RunResult log = runKb({"log", id}, dir.path());
    EXPECT_EQ(log.exitCode, 2);
    EXPECT_NE(log.err.find("is not inside a git work tree"), std::string::npos) << log.err;
    // A setting kb does not know is an error naming the file, line and key.
    dir.write("kb.yaml", "history: svn\n");
    RunResult bad = runKb({"list"}, dir.path());
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("kb.yaml:1: history: is 'svn'; use git"), std::string::npos) << bad.err;
}
