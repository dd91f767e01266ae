#include "kbrunner.h"

#include <gtest/gtest.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace kbtest {

std::string kbExe()
{
    return KB_EXE;
}

RunResult runProgram(const std::vector<std::string> &argv, const std::string &cwd,
                     const std::map<std::string, std::string> &env, const std::string &input,
                     int timeoutSeconds)
{
    int inPipe[2], outPipe[2], errPipe[2];
    if (::pipe(inPipe) || ::pipe(outPipe) || ::pipe(errPipe))
        throw std::runtime_error("pipe failed");
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(inPipe[0], 0);
        ::dup2(outPipe[1], 1);
        ::dup2(errPipe[1], 2);
        for (int fd : {inPipe[0], inPipe[1], outPipe[0], outPipe[1], errPipe[0], errPipe[1]})
            ::close(fd);
        if (::chdir(cwd.c_str()) != 0)
            ::_exit(127);
        ::unsetenv("KB_ROOT");
        ::unsetenv("KB_PLUGIN_PATH");
        ::unsetenv("VISUAL");
        ::setenv("EDITOR", "false", 1);
        ::setenv("KB_USER", "tester", 1); // updated_by and commit authors, whoever runs the tests
        for (const auto &[k, v] : env)
            ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char *> args;
        for (const auto &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    ::close(inPipe[0]);
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    if (!input.empty())
        (void)!::write(inPipe[1], input.data(), input.size());
    ::close(inPipe[1]);

    RunResult r;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    int open = 2;
    bool killed = false;
    while (open > 0) {
        int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        deadline - std::chrono::steady_clock::now())
                                        .count());
        if (left <= 0) {
            ::kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (::poll(fds, 2, left) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[65536];
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    for (auto &f : fds)
        if (f.fd >= 0)
            ::close(f.fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exitCode = killed ? -9 : (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return r;
}

RunResult runKb(const std::vector<std::string> &args, const std::string &cwd,
                const std::map<std::string, std::string> &env, const std::string &input,
                int timeoutSeconds)
{
    std::vector<std::string> argv{kbExe()};
    argv.insert(argv.end(), args.begin(), args.end());
    return runProgram(argv, cwd, env, input, timeoutSeconds);
}

TempDir::TempDir()
{
    std::string tmpl = (std::filesystem::temp_directory_path() / "kbtest-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir()
{
    std::error_code ec;
    // Restore permissions a test may have removed so the folder can be deleted.
    for (auto it = std::filesystem::recursive_directory_iterator(
             path_, std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
}

void TempDir::write(const std::string &rel, const std::string &content) const
{
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

std::string TempDir::read(const std::string &rel) const
{
    std::ifstream in(std::filesystem::path(path_) / rel, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void initRoot(const TempDir &dir)
{
    RunResult r = runKb({"init", dir.path()}, dir.path());
    if (r.exitCode != 0)
        throw std::runtime_error("kb init failed: " + r.err);
    dir.write("vocab/touchpoints.yaml",
              "- {id: tp01-proposal, zh: 项目建议与交流, en: Proposal and exchange}\n"
              "- {id: tp07-install-cutover, zh: 安装与割接, en: Installation and cutover}\n");
    dir.write("vocab/customers.yaml",
              "- {id: tm-malaysia, zh: 马来西亚电信, en: Telekom Malaysia}\n");
    dir.write("vocab/regions.yaml", "- {id: apac, zh: 亚太, en: Asia Pacific}\n");
}

RunResult setupGit(const std::string &cwd, const std::map<std::string, std::string> &env,
                   std::vector<std::string> args)
{
    args.insert(args.begin(), {"git", "-c", "user.name=Setup", "-c", "user.email=s@x"});
    return runProgram(args, cwd, env);
}

std::string newRecordId(const TempDir &dir, std::vector<std::string> args)
{
    args.insert(args.begin(), "new");
    args.push_back("--json");
    RunResult r = runKb(args, dir.path());
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return QJsonDocument::fromJson(QByteArray::fromStdString(r.out))
        .object()
        .value("id")
        .toString()
        .toStdString();
}

void copyShippedContent(const TempDir &dir)
{
    namespace fs = std::filesystem;
    const fs::path from = KB_SOURCE_DIR "/content";
    for (const auto &e : fs::recursive_directory_iterator(from)) {
        const fs::path rel = fs::relative(e.path(), from);
        if (rel.begin()->string() == ".kb")
            continue;
        if (e.is_directory())
            fs::create_directories(fs::path(dir.path()) / rel);
        else
            fs::copy_file(e.path(), fs::path(dir.path()) / rel,
                          fs::copy_options::overwrite_existing);
    }
}

} // namespace kbtest
