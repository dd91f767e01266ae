// kb: the command-line host. Finds the root and the plugins, then runs one command.
#include "cli/commands.h"
#include "core/displaytext.h"
#include "services/invocation.h"
#include "services/output.h"
#include "services/session.h"

#include <QCoreApplication>

namespace {

const char *kUsage =
    "Usage: kb [--root DIR] [--plugin-path DIR]... COMMAND [ARGS]\n"
    "\n"
    "A knowledge base of Markdown records: lessons, cases, competitor intelligence and\n"
    "improvement proposals, each type provided by a plugin.\n"
    "\n"
    "Commands:\n"
    "  init [DIR]           make DIR a knowledge-base root\n"
    "  new TYPE             file a new record (kb new TYPE --help lists its fields)\n"
    "  show ID              print a record\n"
    "  edit ID              edit a record in $EDITOR, or --set FIELD=VALUE\n"
    "  list [TYPE]          list records, with --where and --sort\n"
    "  check                validate every record; exit 1 on findings\n"
    "  index                bring the search index up to date (--rebuild to start over)\n"
    "  search QUERY...      search in Chinese and English (kb search --help: the syntax)\n"
    "  similar ID           records like the given one\n"
    "  log ID               a record's versions in the git history (who, when, what)\n"
    "  restore ID VERSION   write an earlier version back as a new change\n"
    "  token add NAME       a personal API token for kb serve (list, revoke ID)\n"
    "  user add NAME        a local account for kb serve's sign-in (passwd, groups, remove, list)\n"
    "  plugins [check F]    list plugins, their state and errors; check a manifest\n"
    "  serve                the web app on http://127.0.0.1:8080/ (kb serve --help)\n"
    "\n"
    "Global options:\n"
    "  --root DIR           the knowledge-base root (else KB_ROOT, else the nearest parent\n"
    "                       folder holding kb.yaml)\n"
    "  --plugin-path DIR    look for plugins in DIR first (also KB_PLUGIN_PATH)\n"
    "  --help, --version\n"
    "\n"
    "Exit codes: 0 ok, 1 findings or nothing found, 2 usage or environment error.\n";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::string> args;
    const std::unique_ptr<kb::Session> started = kb::startSession(argc, argv, &args);
    if (!started)
        return 2;
    kb::Session &session = *started;
    if (args.empty()) {
        kb::printErr(kUsage);
        return 2;
    }
    const std::string command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        std::string verbs;
        for (const auto &p : session.plugins().plugins())
            if (p.state == kb::PluginState::Loaded)
                for (const auto &v : p.schema.verbs)
                    verbs += "  " + (v.global ? std::string() : p.id + " ") + v.name + " " +
                             v.args + "\n      " + v.description + "\n";
        kb::printOut(std::string(kUsage) + (verbs.empty() ? "" : "\nPlugin verbs:\n" + verbs));
        return 0;
    }
    if (command == "--version") {
        kb::printOut("kb " KB_VERSION "\n");
        return 0;
    }
    if (command == "init")
        return kb::runInit(session, rest);
    if (command == "new")
        return kb::runNew(session, rest);
    if (command == "show")
        return kb::runShow(session, rest);
    if (command == "edit")
        return kb::runEdit(session, rest);
    if (command == "serve")
        return kb::execSibling("kb-serve", argv);
    if (command == "list")
        return kb::runList(session, rest);
    if (command == "check")
        return kb::runCheck(session, rest);
    if (command == "plugins")
        return kb::runPlugins(session, rest);
    if (command == "index")
        return kb::runIndex(session, rest);
    if (command == "search")
        return kb::runSearch(session, rest);
    if (command == "similar")
        return kb::runSimilar(session, rest);
    if (command == "log")
        return kb::runLog(session, rest);
    if (command == "restore")
        return kb::runRestore(session, rest);
    if (command == "token")
        return kb::runToken(session, rest);
    if (command == "user")
        return kb::runUser(session, rest);
    if (const kb::PluginInfo *p = session.plugins().findPlugin(command))
        return kb::runPluginVerb(session, *p, command, rest);
    if (const kb::PluginInfo *p = session.plugins().findGlobalVerb(command)) {
        std::vector<std::string> verbArgs{command};
        verbArgs.insert(verbArgs.end(), rest.begin(), rest.end());
        return kb::runPluginVerb(session, *p, p->id, verbArgs);
    }
    for (const kb::PluginInfo &p : session.plugins().plugins())
        if (p.id == command) { // a plugin that is there but did not load: say why
            const std::string why = !p.error.empty() ? p.error
                                    : !p.problems.empty()
                                        ? p.problems.front()
                                        : std::string(kb::pluginStateName(p.state));
            kb::printErr("kb: plugin '" + command + "' is not loaded: " + kb::displayLine(why) +
                         "\n(kb plugins lists every plugin and what is wrong)\n");
            return 2;
        }
    kb::printErr("kb: unknown command '" + command + "'\nTry 'kb --help'.\n");
    return 2;
}
