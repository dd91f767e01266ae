#pragma once

#include <map>
#include <string>
#include <vector>

namespace kbtest {

struct RunResult {
    int exitCode = -1;
    std::string out, err;
};

// Runs the built `kb` with args in `cwd`, with extra environment variables and optional
// stdin text. Kills it after `timeoutSeconds` (a hang is a failure, not a stuck suite).
RunResult runKb(const std::vector<std::string> &args, const std::string &cwd,
                const std::map<std::string, std::string> &env = {}, const std::string &input = {},
                int timeoutSeconds = 60);

// Runs any program the same way (cmake, for the SDK test).
RunResult runProgram(const std::vector<std::string> &argv, const std::string &cwd,
                     const std::map<std::string, std::string> &env = {},
                     const std::string &input = {}, int timeoutSeconds = 60);

// A fresh empty folder, removed when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return path_; }
    std::string file(const std::string &rel) const { return path_ + "/" + rel; }
    void write(const std::string &rel, const std::string &content) const;
    std::string read(const std::string &rel) const;

private:
    std::string path_;
};

// A kb root made by `kb init` with the vocabularies the shipped plugins use.
void initRoot(const TempDir &dir);

// git for a test's setup, run in `cwd` with `env` (HOME and GIT_CONFIG_NOSYSTEM, so no
// configuration of this machine leaks in) and a fixed identity for its own commits.
RunResult setupGit(const std::string &cwd, const std::map<std::string, std::string> &env,
                   std::vector<std::string> args);

// `kb new ARGS --json` in `dir`: the new record's id ("" with a test failure when kb
// refused it).
std::string newRecordId(const TempDir &dir, std::vector<std::string> args);

// The shipped content/ copied into `dir` (its index left behind): records the team wrote
// by hand over the years, for tests that must hold on every one of them.
void copyShippedContent(const TempDir &dir);

std::string kbExe();
} // namespace kbtest
