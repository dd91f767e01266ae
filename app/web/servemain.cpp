// kb-serve: the web app, started by `kb serve` with the same arguments. A program of its
// own so that the HTTP library (and the OpenSSL it brings) load only here: linked into kb,
// they added ~6 ms to the start of every other command.
#include "invocation.h"
#include "serve.h"
#include "session.h"

#include <QCoreApplication>

#include <filesystem>
#include <unistd.h>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::error_code ec;
    kb::Session session(std::filesystem::current_path(ec).string(), kb::executableDir());
    session.stdoutIsTty = ::isatty(1);
    session.stdinIsTty = ::isatty(0);
    std::vector<std::string> args;
    if (!kb::takeGlobalOptions(argc, argv, session, &args))
        return 2;
    if (!args.empty() && args.front() == "serve") // as `kb serve ...` passes it on
        args.erase(args.begin());
    return kb::runServe(session, args);
}
