#include "web/serve.h"

#include "services/args.h"
#include "services/gitsync.h"
#include "services/output.h"
#include "services/session.h"
#include "web/webserver.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <pthread.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace kb {
namespace {

bool readToken(const std::string &file, std::string *token, std::string *error)
{
    std::ifstream in(file);
    if (!in) {
        *error = "--token-file: cannot read " + file;
        return false;
    }
    std::getline(in, *token);
    while (!token->empty() && (token->back() == '\r' || token->back() == ' '))
        token->pop_back();
    return true;
}

// Every connection is a descriptor; the index and plugins hold more. Many systems start
// processes with 1,024, fewer than max_connections allows: raise the soft limit.
void allowDescriptorsFor(unsigned connections)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = rlim_t(connections) + 64 + 512;
    if (limit.rlim_cur >= wanted)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

// This program again, with the arguments it was started with, on the listening socket it
// has: a plugin module changed, and new code needs a new process. Returns only on failure.
int restartOn(int listenFd)
{
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string all(std::istreambuf_iterator<char>(in), {});
    std::vector<std::string> args;
    for (std::size_t start = 0; start < all.size();) {
        const std::size_t end = all.find('\0', start);
        args.push_back(all.substr(start, end - start));
        start = end == std::string::npos ? all.size() : end + 1;
    }
    for (std::size_t i = 1; i < args.size();) { // drop an earlier --listen-fd
        if (args[i] == "--listen-fd" && i + 1 < args.size())
            args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
        else if (args[i].rfind("--listen-fd=", 0) == 0)
            args.erase(args.begin() + long(i));
        else
            ++i;
    }
    args.push_back("--listen-fd");
    args.push_back(std::to_string(listenFd));
    ::fcntl(listenFd, F_SETFD, 0); // the one descriptor the next process keeps
    std::vector<char *> argv;
    for (std::string &arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    std::fflush(stderr);
    // The signals the stopper thread waited for stay blocked across exec, and the next
    // process waits for them again.
    ::execv("/proc/self/exe", argv.data());
    return environmentError(std::string("kb serve: cannot restart itself: ") +
                            std::strerror(errno));
}

} // namespace

int runServe(Session &s, const std::vector<std::string> &args)
{
    const std::vector<OptionSpec> specs = {
        {"host", true, "address to listen on (default 127.0.0.1, loopback only)"},
        {"port", true, "port (default 8080; 0 picks a free one)"},
        {"token-file", true,
         "file holding the token that writes and restricted reads need when the host is not "
         "loopback (also KB_SERVE_TOKEN)"},
        {"public-url", true,
         "the URL people reach the server by (serve: public_url in kb.yaml); needed with a "
         "--host beyond loopback: requests naming any other host get 421"},
        {"tls-cert", true, "PEM certificate (chain) file: serve HTTPS (serve: tls_cert)"},
        {"tls-key", true, "PEM private key file of --tls-cert (serve: tls_key)"},
        {"pull", true,
         "every SECONDS, fetch the root's git remote and fast-forward (push this server's "
         "commits, merge when both sides changed different files): servers in several "
         "offices share one content repository (also POST /api/pull)"},
        {"listen-fd", true,
         "serve on this already listening socket (how kb serve restarts itself when a "
         "plugin module changes)"},
    };
    ParsedArgs a;
    std::string error;
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("serve", error);
    if (a.help) {
        printOut("Usage: kb serve [--host ADDR] [--port N] [--token-file FILE] [--public-url URL]\n"
                 "                [--tls-cert FILE --tls-key FILE] [--pull SECONDS]\n\n"
                 "The web app: search, records, filing forms, the improvements board, the "
                 "touchpoint journey and briefs, over a JSON API. Files changed by other "
                 "programs show up within a second or two.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (!a.positional.empty())
        return usageError("serve", "takes no arguments");
    ServeConfig config;
    config.host = a.value("host", "127.0.0.1");
    const std::string port = a.value("port", "8080");
    char *end = nullptr;
    const long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end || p < 0 || p > 65535)
        return usageError("serve", "--port needs a number from 0 to 65535");
    config.port = int(p);
    if (!a.value("token-file").empty()) {
        if (!readToken(a.value("token-file"), &config.token, &error))
            return usageError("serve", error);
    } else if (const char *t = std::getenv("KB_SERVE_TOKEN"); t && *t) {
        config.token = t;
    }
    if (!config.token.empty() && config.token.size() < 16)
        return usageError("serve", "the token (--token-file or KB_SERVE_TOKEN) must be at least "
                                   "16 characters");
    if (!s.openRoot(&error))
        return environmentError(error);
    if (!readServeSettings(s.root().dir, &config, &error))
        return environmentError(error);
    if (!a.value("public-url").empty()) {
        if (urlAuthority(a.value("public-url"), &error).empty())
            return usageError("serve", "--public-url: " + error);
        config.publicUrls = {a.value("public-url")};
    }
    if (!a.value("tls-cert").empty())
        config.tlsCertFile = a.value("tls-cert");
    if (!a.value("tls-key").empty())
        config.tlsKeyFile = a.value("tls-key");
    if (config.tlsCertFile.empty() != config.tlsKeyFile.empty())
        return usageError("serve", "--tls-cert and --tls-key go together");
    if (!config.loopback() && config.publicUrls.empty())
        return usageError("serve", "--host " + config.host +
                                       " listens beyond loopback: give --public-url URL (or "
                                       "serve: public_url in kb.yaml), the address people "
                                       "use, so requests under other names (DNS rebinding) "
                                       "are refused");

    // Ctrl-C and SIGTERM stop the server cleanly: a thread waits for them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    if (!a.value("listen-fd").empty()) {
        const std::string fd = a.value("listen-fd");
        char *fdEnd = nullptr;
        const long n = std::strtol(fd.c_str(), &fdEnd, 10);
        if (fd.empty() || *fdEnd || n < 3 || n > 65535)
            return usageError("serve", "--listen-fd needs a descriptor number");
        config.inheritedListenFd = int(n);
    }
    if (!a.value("pull").empty()) {
        const std::string every = a.value("pull");
        char *end = nullptr;
        const long n = std::strtol(every.c_str(), &end, 10);
        if (every.empty() || *end || n < 1 || n > 86400)
            return usageError("serve", "--pull needs a number of seconds from 1 to 86400");
        config.pullSeconds = unsigned(n);
        // The first pull before serving: a root that cannot pull is said at once.
        if (!s.openRoot(&error))
            return environmentError(error);
        const SyncOutcome first = syncWithRemote(s.root().dir);
        if (first.state == SyncOutcome::State::Failed) {
            printErr("kb serve: --pull: " + first.message + "\n");
            return 2;
        }
        printErr("kb serve: pull: " + first.message + "\n");
    }
    allowDescriptorsFor(config.limits.maxConnections);
    web::WebServer server(s, config);
    if (!server.bind(&error))
        return environmentError(error);
    const std::string host =
        config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
    std::printf("kb serve: %s://%s:%d/  (Ctrl-C to stop)\n", config.tls() ? "https" : "http",
                host.c_str(), server.port());
    if (!config.loopback())
        std::printf("kb serve: listening beyond loopback; %s\n",
                    config.token.empty() ? "read-only and restricted records hidden (no token)"
                                         : "writes and restricted records need the token");
    std::fflush(stdout);
    std::thread stopper([&] {
        int sig = 0;
        sigwait(&stopSignals, &sig);
        server.stop();
    });
    const bool served = server.run(&error);
    pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
    if (served && server.restartSocket() >= 0)
        return restartOn(server.restartSocket());
    return served ? 0 : environmentError(error);
}

} // namespace kb
