// Hostile and broken files: each one gets one line naming the file (and line where
// known), `kb check` exits 1, nothing crashes or hangs, and the good record next to it
// is still listed.
#include "kbrunner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace kbtest;

namespace {

const std::string kGood = "---\nid: good-one\ntype: lesson\ntitle: Good record\ndate: 2020-01-01\n"
                          "touchpoint: [tp01-proposal]\n---\nbody\n";

std::string lesson(const std::string &id, const std::string &extra)
{
    return "---\nid: " + id +
           "\ntype: lesson\ntitle: T\ndate: 2020-01-01\n"
           "touchpoint: [tp01-proposal]\n" +
           extra + "---\nbody\n";
}

struct BadInput : ::testing::Test {
    TempDir dir;
    void SetUp() override
    {
        initRoot(dir);
        dir.write("good.md", kGood);
    }
    // Runs `kb check` and `kb list`; returns check's stdout after asserting the basics.
    std::string expectFinding(const std::string &needle,
                              const std::vector<std::string> &kbArgs = {})
    {
        std::vector<std::string> check = kbArgs;
        check.push_back("check");
        RunResult r = runKb(check, dir.path(), {}, "", 30);
        EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
        EXPECT_NE(r.out.find(needle), std::string::npos) << "missing '" << needle << "' in:\n"
                                                         << r.out;
        for (const auto &line : {r.out}) // every finding is one line that starts with a path
            EXPECT_EQ(line.find("\n\n"), std::string::npos);
        std::vector<std::string> list = kbArgs;
        list.push_back("list");
        RunResult l = runKb(list, dir.path(), {}, "", 30);
        EXPECT_EQ(l.exitCode, 0) << l.err;
        EXPECT_NE(l.out.find("Good record"), std::string::npos) << "good record lost";
        return r.out;
    }
};

} // namespace

TEST_F(BadInput, InvalidYamlNamesFileAndLine)
{
    dir.write("bad.md", "---\nid: bad\ntitle: [oops\ntype: lesson\n---\n");
    // libyaml names the line where it noticed the error: the unclosed one or the next.
    const std::string out = expectFinding("invalid YAML: did not find expected ',' or ']'");
    EXPECT_TRUE(out.find("bad.md:3: invalid YAML") != std::string::npos ||
                out.find("bad.md:4: invalid YAML") != std::string::npos)
        << out;
}

TEST_F(BadInput, FrontMatterNeverClosed)
{
    dir.write("open.md", "---\nid: open\ntype: lesson\n\nbody text without end\n");
    expectFinding("open.md:1: front matter opened with '---' is never closed");
}

TEST_F(BadInput, InvalidUtf8)
{
    dir.write("latin1.md", "---\nid: l1\ntype: lesson\ntitle: caf\xE9\n---\n");
    expectFinding("latin1.md:4: invalid UTF-8");
}

TEST_F(BadInput, BinaryFileNamedMd)
{
    dir.write("blob.md", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    expectFinding("blob.md: binary file");
}

TEST_F(BadInput, EmptyFile)
{
    dir.write("empty.md", "");
    expectFinding("empty.md: empty file");
}

TEST_F(BadInput, BomAndCrlfAreReadNormally)
{
    dir.write("bom.md", "\xEF\xBB\xBF" + lesson("bom-rec", ""));
    std::string crlf;
    for (char c : lesson("crlf-rec", ""))
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    dir.write("crlf.md", crlf);
    RunResult r = runKb({"check"}, dir.path());
    EXPECT_EQ(r.exitCode, 0) << r.out;
    RunResult l = runKb({"list"}, dir.path());
    EXPECT_NE(l.out.find("bom-rec"), std::string::npos);
    EXPECT_NE(l.out.find("crlf-rec"), std::string::npos);
}

TEST_F(BadInput, DuplicateIds)
{
    dir.write("z-copy.md", kGood);
    expectFinding("z-copy.md:2: duplicate id 'good-one' (also in good.md)");
}

TEST_F(BadInput, UnknownType)
{
    dir.write("odd.md", "---\nid: odd\ntype: spaceship\ntitle: x\ndate: 2020-01-01\n---\n");
    expectFinding("odd.md:3: unknown type 'spaceship'");
}

TEST_F(BadInput, ValueOutsideEnum)
{
    dir.write("enum.md", lesson("enum-rec", "outcome: splendid\n"));
    expectFinding("enum.md:7: outcome: 'splendid' is not one of: success, failure, mixed");
}

TEST_F(BadInput, MalformedDate)
{
    dir.write("date.md", lesson("date-rec", "occurred: 2021-02-30\n"));
    expectFinding("date.md:7: occurred: '2021-02-30' is not a date");
}

TEST_F(BadInput, FileOverTheConfiguredSizeLimit)
{
    dir.write("kb.yaml", "max_file_bytes: 1000\n");
    dir.write("huge.md", lesson("huge-rec", "") + std::string(5000, 'x'));
    expectFinding("huge.md: file is 5");
    dir.write("kb.yaml", "max_file_bytes: -3\n");
    RunResult r = runKb({"check"}, dir.path());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("max_file_bytes"), std::string::npos);
}

TEST_F(BadInput, UnreadableFile)
{
    dir.write("secret.md", lesson("secret-rec", ""));
    std::filesystem::permissions(dir.file("secret.md"), std::filesystem::perms::none);
    if (::geteuid() != 0) {
        expectFinding("secret.md: cannot read");
        return;
    }
    // root reads everything: run kb as an unprivileged user to see a real EACCES.
    std::filesystem::permissions(
        dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                        std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                        std::filesystem::perms::others_exec);
    RunResult r = runProgram(
        {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", kbExe(), "check"},
        dir.path());
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("secret.md: cannot read: Permission denied"), std::string::npos) << r.out;
}

TEST_F(BadInput, SymlinkLoop)
{
    std::filesystem::create_directories(dir.file("sub"));
    std::filesystem::create_directory_symlink("..", dir.file("sub/up"));
    std::filesystem::create_symlink("b.md", dir.file("a.md"));
    std::filesystem::create_symlink("a.md", dir.file("b.md"));
    const std::string out = expectFinding("sub/up: symlink loop");
    EXPECT_NE(out.find("a.md: broken symlink or symlink loop"), std::string::npos) << out;
}

TEST_F(BadInput, PathOutsideTheRoot)
{
    TempDir outside;
    outside.write("leak.md", lesson("leak-rec", ""));
    std::filesystem::create_symlink(outside.file("leak.md"), dir.file("leak.md"));
    std::filesystem::create_directory_symlink(outside.path(), dir.file("elsewhere"));
    const std::string out = expectFinding("leak.md: symlink leads outside the root");
    EXPECT_NE(out.find("elsewhere: symlink leads outside the root"), std::string::npos);
    EXPECT_EQ(runKb({"list"}, dir.path()).out.find("leak-rec"), std::string::npos);
}

TEST_F(BadInput, HostileNesting)
{
    dir.write("deep.md", "---\nid: deep\nk: " + std::string(100000, '[') + "\n---\n");
    expectFinding("deep.md:3: front matter nests deeper"); // the line of `k:`
}

TEST_F(BadInput, JsonCheckReportsFieldAndLine)
{
    dir.write("enum.md", lesson("enum-rec", "impact: galactic\n"));
    RunResult r = runKb({"check", "--json"}, dir.path());
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("\"field\": \"impact\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"line\": 7"), std::string::npos);
}

TEST_F(BadInput, TheVocabularyCacheNeverHidesAnEditOrItsOwnDamage)
{
    ASSERT_EQ(runKb({"index"}, dir.path()).exitCode, 0);
    ASSERT_EQ(runKb({"check"}, dir.path()).exitCode, 0);
    ASSERT_TRUE(std::filesystem::exists(dir.file(".kb/vocab.cache")));
    // A vocabulary broken after the cache was written is reported all the same.
    dir.write("vocab/regions.yaml", "- {id: apac, zh: [oops\n");
    expectFinding("vocab/regions.yaml:");
    // A damaged cache is ignored, not believed.
    dir.write(".kb/vocab.cache", "kb-vocab-cache 1\n999999:garbage");
    expectFinding("vocab/regions.yaml:");
    // Mended, and a value the new entry allows is accepted.
    dir.write("vocab/regions.yaml", "- {id: apac, zh: 亚太, en: Asia Pacific}\n"
                                    "- {id: emea, zh: 欧洲中东非洲, en: EMEA}\n");
    dir.write("good.md", lesson("good-one", "region: emea\n"));
    RunResult r = runKb({"check"}, dir.path());
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
}
