#include "services/invocation.h"
#include "indexer/indexsync.h"

#include "services/output.h"
#include "services/session.h"

#include <QCoreApplication>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace kb {
namespace {

// The folder of the running executable (where kb looks for its plugins and kb-serve).
std::string executableDir()
{
    return std::filesystem::path(QCoreApplication::applicationFilePath().toStdString())
        .parent_path()
        .string();
}

} // namespace

std::unique_ptr<Session> startSession(int argc, char **argv, std::vector<std::string> *args)
{
    search::applyIndexWriterSettings(); // while the process has one thread
    std::error_code ec;
    auto session =
        std::make_unique<Session>(std::filesystem::current_path(ec).string(), executableDir());
    session->stdoutIsTty = ::isatty(1);
    session->stdinIsTty = ::isatty(0);
    bool passThrough = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (passThrough) {
            args->push_back(a);
            continue;
        }
        if (a == "--")
            passThrough = true;
        auto takeValue = [&](const std::string &name, std::string *out) {
            if (a == "--" + name) {
                if (i + 1 >= argc)
                    return false;
                *out = argv[++i];
                return true;
            }
            if (a.rfind("--" + name + "=", 0) == 0) {
                *out = a.substr(name.size() + 3);
                return true;
            }
            return false;
        };
        std::string value;
        if (takeValue("root", &value)) {
            session->explicitRoot = value;
        } else if (takeValue("plugin-path", &value)) {
            session->pluginPaths.push_back(value);
        } else if ((a == "--root" || a == "--plugin-path") && i + 1 >= argc) {
            usageError(a.substr(2), "needs a value");
            return nullptr;
        } else {
            args->push_back(a);
        }
    }
    return session;
}

int execSibling(const std::string &name, char **argv)
{
    const std::string path = executableDir() + "/" + name;
    ::execv(path.c_str(), argv);
    printErr("kb: cannot start " + path + ": " + std::strerror(errno) +
             " (it is installed with kb)\n");
    return 2;
}

} // namespace kb
