#include "serveprocess.h"

#include "kbrunner.h"

#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace kbtest {

ServeProcess::ServeProcess(const std::string &root, const std::vector<std::string> &extraArgs,
                           const std::map<std::string, std::string> &env,
                           const std::string &stderrPath)
{
    // The server answers some requests (413, 431) before reading them whole and closes:
    // the test's client must get the answer, not die writing the rest.
    std::signal(SIGPIPE, SIG_IGN);
    int out[2];
    if (::pipe(out))
        throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
        // The server goes when the test does, even when the test crashes: an orphan would
        // hold ctest's pipe open until the test's timeout.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        ::dup2(out[1], 1);
        if (!stderrPath.empty())
            if (const int log = ::open(stderrPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
                log >= 0)
                ::dup2(log, 2);
        ::close(out[0]);
        ::close(out[1]);
        ::unsetenv("KB_ROOT");
        ::unsetenv("KB_SERVE_TOKEN");
        for (const auto &[k, v] : env)
            ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<std::string> argv = {kbExe(), "--root", root, "serve", "--port", "0"};
        argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
        std::vector<char *> args;
        for (auto &a : argv)
            args.push_back(a.data());
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    // The first line is "kb serve: http://HOST:PORT/ ..."; wait at most 60 s for it
    // (a first index build under the sanitizers is slow).
    std::string line;
    pollfd pfd{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && ::poll(&pfd, 1, 60000) > 0) {
        char buf[256];
        const ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n <= 0)
            break;
        line.append(buf, std::size_t(n));
    }
    ::close(out[0]);
    const auto colon = line.find(':', line.find("//"));
    if (colon == std::string::npos) {
        stop();
        throw std::runtime_error("kb serve did not start: '" + line + "'");
    }
    port_ = std::stoi(line.substr(colon + 1));
}

ServeProcess::~ServeProcess()
{
    stop();
}

bool ServeProcess::alive() const
{
    return pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0;
}

int ServeProcess::stop()
{
    if (pid_ <= 0)
        return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
        ::usleep(50000);
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

} // namespace kbtest
