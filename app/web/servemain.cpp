// kb-serve: the web app, started by `kb serve` with the same arguments. A program of its
// own so that the HTTP library (and the OpenSSL it brings) load only here: linked into kb,
// they added ~6 ms to the start of every other command.
#include "services/invocation.h"
#include "services/session.h"
#include "web/serve.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::string> args;
    const std::unique_ptr<kb::Session> session = kb::startSession(argc, argv, &args);
    if (!session)
        return 2;
    if (!args.empty() && args.front() == "serve") // as `kb serve ...` passes it on
        args.erase(args.begin());
    return kb::runServe(*session, args);
}
