// kb as a user runs it: files on disk, output and exit codes.
#include "kbrunner.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <filesystem>
#include <thread>

using namespace kbtest;

namespace {
std::string firstLine(const std::string &s)
{
    return s.substr(0, s.find('\n'));
}
QJsonDocument json(const std::string &s)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(s));
}
} // namespace

TEST(Cli, HelpOnEveryCommand)
{
    TempDir d;
    for (std::string cmd : {"init", "new", "show", "edit", "list", "check", "plugins"}) {
        RunResult r = runKb({cmd, "--help"}, d.path());
        EXPECT_EQ(r.exitCode, 0) << cmd;
        EXPECT_NE(r.out.find("Usage: kb " + cmd), std::string::npos) << cmd;
    }
    EXPECT_EQ(runKb({"--help"}, d.path()).exitCode, 0);
    EXPECT_EQ(runKb({"frobnicate"}, d.path()).exitCode, 2);
    EXPECT_EQ(runKb({"list", "--bogus"}, d.path()).exitCode, 2);
}

TEST(Cli, NoRootIsAnEnvironmentError)
{
    TempDir d;
    RunResult r = runKb({"list"}, d.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("no kb root"), std::string::npos);
}

TEST(Cli, RootFromFlagEnvAndParentFolder)
{
    TempDir d;
    initRoot(d);
    d.write("notes/a.md", "# Alpha note\n");
    std::filesystem::create_directories(d.file("sub/deeper"));
    EXPECT_NE(runKb({"list"}, d.file("sub/deeper")).out.find("Alpha note"), std::string::npos);
    TempDir elsewhere;
    EXPECT_NE(runKb({"--root", d.path(), "list"}, elsewhere.path()).out.find("Alpha note"),
              std::string::npos);
    EXPECT_NE(runKb({"list"}, elsewhere.path(), {{"KB_ROOT", d.path()}}).out.find("Alpha note"),
              std::string::npos);
}

TEST(Cli, NewWritesACheckableFileAndListShowsIt)
{
    TempDir d;
    initRoot(d);
    RunResult r = runKb({"new", "lesson", "--title", "马电 IPTV 交付复盘", "--touchpoint",
                         "tp07-install-cutover", "--customer", "马来西亚电信", "--json"},
                        d.path());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    QJsonObject created = json(r.out).object();
    const std::string id = created["id"].toString().toStdString();
    const std::string path = created["path"].toString().toStdString();
    EXPECT_EQ(path, "lessons/" + id + ".md");
    const std::string text = d.read(path);
    EXPECT_NE(text.find("title: 马电 IPTV 交付复盘"), std::string::npos);
    EXPECT_NE(text.find("## 背景 / Background"), std::string::npos);

    RunResult check = runKb({"check"}, d.path());
    EXPECT_EQ(check.exitCode, 0) << check.out;

    RunResult list = runKb({"list", "lesson", "--json"}, d.path());
    QJsonArray rows = json(list.out).array();
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].toObject()["id"].toString().toStdString(), id);

    RunResult show = runKb({"show", id}, d.path());
    EXPECT_EQ(show.out, text);
    EXPECT_EQ(runKb({"show", "no-such-id"}, d.path()).exitCode, 1);
}

TEST(Cli, NewRejectsBadFieldValuesNamingTheField)
{
    TempDir d;
    initRoot(d);
    RunResult r = runKb({"new", "lesson", "--title", "x", "--touchpoint", "tp99"}, d.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--touchpoint"), std::string::npos) << r.err;
    r = runKb({"new", "lesson", "--title", "x", "--occurred", "2024-02-30"}, d.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("not a date"), std::string::npos);
    r = runKb({"new", "lesson", "--nosuchfield", "1"}, d.path());
    EXPECT_EQ(r.exitCode, 2);
    r = runKb({"new", "widget"}, d.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_FALSE(std::filesystem::exists(d.file("lessons")));
}

TEST(Cli, NewWithEditNeverBlocksWithoutATerminal)
{
    TempDir d;
    initRoot(d);
    RunResult r = runKb({"new", "lesson", "--title", "t", "--edit"}, d.path(),
                        {{"EDITOR", "sleep 100"}}, "", 20);
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_NE(r.err.find("no terminal"), std::string::npos);
}

TEST(Cli, AnEditInterruptedSaysWhereTheCopyIs)
{
    if (!std::filesystem::exists("/usr/bin/script"))
        GTEST_SKIP() << "needs script(1) (bsdutils) for a terminal";
    TempDir d;
    initRoot(d);
    d.write("x.md", "---\nid: x\ntype: lesson\ntitle: T\ndate: 2020-01-01\n"
                    "touchpoint: [tp01-proposal]\n---\nBody\n");
    const std::string before = d.read("x.md");
    // The "editor" types a line, then the user's session ends: SIGTERM to kb, the parent
    // of the shell that runs the editor (from /proc: no ps on a bare machine).
    d.write("editor.sh", "#!/bin/sh\necho 'typed in the editor' >> \"$1\"\n"
                         "read -r stat < /proc/$PPID/stat; set -- $stat; kill -TERM $4\n");
    std::filesystem::permissions(d.file("editor.sh"), std::filesystem::perms::owner_all);
    RunResult r =
        runProgram({"/usr/bin/script", "-qec", std::string(KB_EXE) + " edit x", "/dev/null"},
                   d.path(), {{"EDITOR", d.file("editor.sh")}, {"TMPDIR", d.path()}}, "", 30);
    const std::string said = r.out + r.err;
    const std::size_t at = said.find("kb edit: interrupted; your copy is kept at ");
    ASSERT_NE(at, std::string::npos) << said;
    std::string copy = said.substr(at + 43);
    copy = copy.substr(0, copy.find_first_of("\r\n"));
    EXPECT_NE(
        d.read(std::filesystem::relative(copy, d.path()).string()).find("typed in the editor"),
        std::string::npos)
        << copy;
    EXPECT_EQ(d.read("x.md"), before) << "the record itself is untouched";
}

TEST(Cli, RequiredFieldsReportedUntilFilled)
{
    TempDir d;
    initRoot(d);
    RunResult r = runKb({"new", "lesson", "--json"}, d.path());
    ASSERT_EQ(r.exitCode, 0);
    const std::string id = json(r.out).object()["id"].toString().toStdString();
    RunResult check = runKb({"check"}, d.path());
    EXPECT_EQ(check.exitCode, 1);
    EXPECT_NE(check.out.find(":4: required field 'title' is empty"), std::string::npos)
        << check.out;
    EXPECT_NE(check.out.find("touchpoint"), std::string::npos);
    ASSERT_EQ(
        runKb({"edit", id, "--set", "title=Filled", "--set", "touchpoint=tp01-proposal"}, d.path())
            .exitCode,
        0);
    EXPECT_EQ(runKb({"check"}, d.path()).exitCode, 0);
}

TEST(Cli, ConcurrentFilingNeverCollides)
{
    TempDir d;
    initRoot(d);
    std::vector<std::thread> threads;
    std::vector<RunResult> results(8);
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            results[i] = runKb({"new", "lesson", "--title", "t" + std::to_string(i), "--touchpoint",
                                "tp01-proposal"},
                               d.path());
        });
    for (auto &t : threads)
        t.join();
    for (const auto &r : results)
        EXPECT_EQ(r.exitCode, 0) << r.err;
    int files = 0;
    for ([[maybe_unused]] const auto &e : std::filesystem::directory_iterator(d.file("lessons")))
        ++files;
    EXPECT_EQ(files, 8);
    EXPECT_EQ(runKb({"check"}, d.path()).exitCode, 0);
}

TEST(Cli, ListFiltersAndSorts)
{
    TempDir d;
    initRoot(d);
    auto lesson = [&](const std::string &id, const std::string &date, const std::string &outcome) {
        d.write("lessons/" + id + ".md", "---\nid: " + id + "\ntype: lesson\ntitle: T " + id +
                                             "\ndate: " + date +
                                             "\ntouchpoint: tp01-proposal\n"
                                             "kind: project-retro\noutcome: " +
                                             outcome + "\n---\n");
    };
    lesson("b", "2020-01-02", "failure");
    lesson("a", "2021-05-01", "success");
    lesson("c", "2019-03-03", "failure");
    RunResult r = runKb({"list", "--where", "outcome=failure", "--sort", "-date"}, d.path());
    ASSERT_EQ(r.exitCode, 0);
    EXPECT_EQ(firstLine(r.out).substr(0, 2), "b ");
    EXPECT_EQ(r.out.find("T a"), std::string::npos);
    EXPECT_EQ(runKb({"list", "--where", "nonsense"}, d.path()).exitCode, 2);
}

TEST(Cli, EditAppendsAndRefusesIdChanges)
{
    TempDir d;
    initRoot(d);
    const std::string text =
        "---\r\nid: x\r\ntype: lesson\r\ntitle: T # keep\r\ndate: 2020-01-01\r\n"
        "touchpoint: [tp01-proposal]\r\nmystery: kept\r\n---\r\nBody\r\n";
    d.write("x.md", text);
    ASSERT_EQ(
        runKb({"edit", "x", "--set", "outcome=mixed", "--append", "added"}, d.path()).exitCode, 0);
    EXPECT_EQ(d.read("x.md"),
              "---\r\nid: x\r\ntype: lesson\r\ntitle: T # keep\r\ndate: 2020-01-01\r\n"
              "touchpoint: [tp01-proposal]\r\nmystery: kept\r\noutcome: mixed\r\n"
              "updated_by: tester\r\n---\r\nBody\r\n\r\nadded\r\n");
    EXPECT_EQ(runKb({"edit", "x", "--set", "id=y"}, d.path()).exitCode, 2);
    EXPECT_EQ(runKb({"edit", "x", "--set", "outcome=great"}, d.path()).exitCode, 2);
    EXPECT_EQ(runKb({"edit", "x"}, d.path()).exitCode, 2); // no terminal, no --set
    // A misspelt field is refused with the one meant; a key the record has stays editable;
    // --force adds a new key on purpose.
    const std::string before = d.read("x.md");
    RunResult typo = runKb({"edit", "x", "--set", "outcom=failure"}, d.path());
    EXPECT_EQ(typo.exitCode, 2);
    EXPECT_NE(typo.err.find("lesson records have no field 'outcom' (did you mean 'outcome'?)"),
              std::string::npos)
        << typo.err;
    EXPECT_EQ(d.read("x.md"), before);
    EXPECT_EQ(runKb({"edit", "x", "--set", "mystery=solved"}, d.path()).exitCode, 0);
    EXPECT_EQ(runKb({"edit", "x", "--set", "reviewed_by=王磊", "--force"}, d.path()).exitCode, 0);
    EXPECT_NE(d.read("x.md").find("reviewed_by: 王磊"), std::string::npos) << d.read("x.md");
    // Text that another YAML reader would take for a bool, a number or a date is quoted
    // in a text field, so every reader gets the words typed.
    ASSERT_EQ(
        runKb({"edit", "x", "--set", "title=no", "--set", "project=2024-01", "--set", "team=1.10"},
              d.path())
            .exitCode,
        0);
    const std::string quoted = d.read("x.md");
    for (const char *line : {"title: \"no\" # keep", "project: \"2024-01\"", "team: \"1.10\""})
        EXPECT_NE(quoted.find(line), std::string::npos) << line << "\n" << quoted;
    RunResult shown = runKb({"show", "--json", "x"}, d.path());
    EXPECT_NE(shown.out.find("\"title\": \"no\""), std::string::npos) << shown.out;
}

TEST(Cli, InitMakesARootThatWorksFromTheFirstCommand)
{
    TempDir d;
    RunResult init = runKb({"init", d.path()}, d.path());
    ASSERT_EQ(init.exitCode, 0) << init.err;
    for (const char *vocab :
         {"touchpoints", "principles", "glossary", "customers", "regions", "competitors"})
        EXPECT_TRUE(std::filesystem::exists(d.file(std::string("vocab/") + vocab + ".yaml")))
            << vocab;
    // A lesson naming a touchpoint passes check; the glossary makes 割接 and cutover one.
    RunResult filed = runKb(
        {"new", "lesson", "--title", "核心网割接复盘", "--touchpoint", "tp07-install-cutover"},
        d.path());
    ASSERT_EQ(filed.exitCode, 0) << filed.err;
    RunResult check = runKb({"check"}, d.path());
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
    RunResult found = runKb({"search", "--json", "cutover"}, d.path());
    EXPECT_EQ(found.exitCode, 0) << found.out << found.err;
    EXPECT_EQ(json(found.out).object()["total"].toInt(), 1) << found.out;
    // The starter lists are empty until the team fills them, and say how.
    EXPECT_NE(d.read("vocab/customers.yaml").find("# - {id:"), std::string::npos);

    TempDir bare;
    ASSERT_EQ(runKb({"init", "--bare", bare.path()}, bare.path()).exitCode, 0);
    EXPECT_TRUE(std::filesystem::is_empty(bare.file("vocab")));
    ASSERT_EQ(runKb({"new", "lesson", "--title", "x", "--touchpoint", "tp07-install-cutover"},
                    bare.path())
                  .exitCode,
              2); // no such vocabulary in a bare root
}
