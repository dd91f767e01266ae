#include "core/plugincall.h"

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace kb {
namespace {

// Read by the signal handler: fixed buffers, no allocation. The current call is per
// thread (kb serve runs plugins on several), and the handler runs on the crashing one.
thread_local char current[256] = {};
char reportDir[4096] = {};
char reportPath[4096] = {};

void copyInto(char *to, std::size_t size, std::string_view from)
{
    const std::size_t n = std::min(size - 1, from.size());
    std::memcpy(to, from.data(), n);
    to[n] = '\0';
}

void onFatalSignal(int sig)
{
    if (current[0] != '\0' && reportPath[0] != '\0') {
        ::mkdir(reportDir, 0755);
        const int fd = ::open(reportPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0) {
            const char *name = sig == SIGSEGV  ? "SIGSEGV"
                               : sig == SIGBUS ? "SIGBUS"
                               : sig == SIGFPE ? "SIGFPE"
                               : sig == SIGILL ? "SIGILL"
                                               : "SIGABRT";
            const std::size_t length = std::strlen(current);
            ssize_t ignored = ::write(fd, current, length);
            ignored = ::write(fd, "\t", 1);
            ignored = ::write(fd, name, std::strlen(name));
            (void)ignored;
            ::close(fd);
        }
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

} // namespace

PluginCall::PluginCall(std::string_view pluginId, std::string_view what)
{
    std::memcpy(saved_, current, sizeof saved_);
    copyInto(current, sizeof current,
             "plugin '" + std::string(pluginId) + "' (" + std::string(what) + ")");
}

PluginCall::~PluginCall()
{
    std::memcpy(current, saved_, sizeof saved_);
}

std::string PluginCall::watchRoot(const std::string &rootDir)
{
    const std::string dir = rootDir + "/.kb";
    const std::string path = dir + "/plugin-crash";
    std::string report;
    {
        std::ifstream in(path);
        report.assign(std::istreambuf_iterator<char>(in), {});
    }
    if (!report.empty())
        ::unlink(path.c_str());
    if (!kSanitized && dir.size() < sizeof reportDir && path.size() < sizeof reportPath) {
        copyInto(reportDir, sizeof reportDir, dir);
        copyInto(reportPath, sizeof reportPath, path);
        for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
            struct sigaction action {};
            action.sa_handler = onFatalSignal;
            sigemptyset(&action.sa_mask);
            action.sa_flags = SA_RESETHAND;
            ::sigaction(sig, &action, nullptr);
        }
    }
    const std::size_t tab = report.find('\t');
    if (tab == std::string::npos)
        return {};
    return "the last kb process in this root crashed (" + report.substr(tab + 1) + ") inside " +
           report.substr(0, tab) + "; tell the plugin's author, or take it off the plugin path";
}

} // namespace kb
