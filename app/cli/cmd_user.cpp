// `kb user add NAME [--group G]...`, `kb user passwd NAME`, `kb user groups NAME --group G`,
// `kb user remove NAME`, `kb user list`: local accounts for kb serve's sign-in page.
#include "cli/commands.h"
#include "core/displaytext.h"
#include "services/args.h"
#include "services/output.h"
#include "services/qtstring.h"
#include "services/serveconfig.h"
#include "services/session.h"
#include "services/useraccounts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace kb {

namespace {

// One line from the terminal without echo, or from a pipe as it comes (scripts, tests).
bool readPassword(const std::string &prompt, std::string *out)
{
    const bool terminal = isatty(STDIN_FILENO);
    termios saved{};
    if (terminal) {
        printErr(prompt);
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    const bool got = bool(std::getline(std::cin, *out));
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        printErr("\n");
    }
    if (!out->empty() && out->back() == '\r')
        out->pop_back();
    return got;
}

// The new password, typed twice at a terminal; nullopt-like "" with a message otherwise.
bool newPassword(std::string *password, std::string *error)
{
    if (!readPassword("New password: ", password)) {
        *error = "no password given (type it, or pipe it on standard input)";
        return false;
    }
    if (isatty(STDIN_FILENO)) {
        std::string again;
        if (!readPassword("Again: ", &again) || again != *password) {
            *error = "the two passwords differ";
            return false;
        }
    }
    *error = UserAccounts::passwordProblem(*password);
    return error->empty();
}

} // namespace

int runUser(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"group", true, "a group the person is in (repeat for several)"},
        {"json", false, "list as JSON"}};
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("user", error);
    const std::string usage =
        "Usage: kb user add NAME [--group G]... | kb user passwd NAME | kb user groups NAME "
        "[--group G]... | kb user remove NAME | kb user list [--json]\n\n"
        "Local accounts for kb serve's sign-in page. The password is read from the terminal "
        "(twice, not shown) or from standard input; only its Argon2id hash is kept, in "
        ".kb/users.json. What a group may do is set in kb.yaml (serve: groups).\n\n";
    if (a.help) {
        printOut(usage + formatOptions(specs));
        return 0;
    }
    if (a.positional.empty())
        return usageError("user", "say add, passwd, groups, remove or list");
    if (!s.openRoot(&error))
        return environmentError(error);
    UserAccounts accounts(s.root().dir);
    const std::string &verb = a.positional[0];
    std::vector<std::string> groups;
    if (auto it = a.values.find("group"); it != a.values.end())
        groups = it->second;
    const auto fail = [](const std::string &why) {
        // The store names a missing account; here is where to look.
        const bool missing = why.rfind("no user '", 0) == 0;
        printErr("kb user: " + why + (missing ? " (kb user list shows them)" : "") + "\n");
        return 1;
    };
    if (verb == "list" && a.positional.size() == 1) {
        const std::vector<UserAccount> all = accounts.list(&error);
        if (!error.empty())
            return fail(error);
        if (a.flag("json")) {
            QJsonArray out;
            for (const UserAccount &u : all) {
                QJsonArray g;
                for (const std::string &name : u.groups)
                    g.append(q(name));
                out.append(
                    QJsonObject{{"name", q(u.name)}, {"groups", g}, {"created", q(u.created)}});
            }
            printJson(QJsonDocument(out));
            return 0;
        }
        std::string text;
        for (const UserAccount &u : all) {
            std::string g;
            for (const std::string &name : u.groups)
                g += (g.empty() ? "" : ",") + name;
            text += displayLine(u.name) + "  " + u.created +
                    (g.empty() ? "" : "  [" + displayLine(g) + "]") + "\n";
        }
        printOut(text.empty() ? "no users\n" : text);
        return 0;
    }
    if (a.positional.size() != 2 || a.positional[1].empty())
        return usageError("user", verb + " takes the person's NAME");
    const std::string &name = a.positional[1];
    // A group kb.yaml does not name gives no rights, silently: refused, as on the web.
    if (verb == "add" || verb == "groups") {
        ServeConfig config;
        if (!readServeSettings(s.root().dir, &config, &error))
            return fail(error);
        if (std::string why = config.unknownGroupProblem(groups); !why.empty())
            return fail(why);
    }
    if (verb == "add" || verb == "passwd") {
        if (verb == "add")
            if (std::string why = UserAccounts::nameProblem(name); !why.empty())
                return fail(why);
        std::string password;
        if (!newPassword(&password, &error))
            return fail(error);
        const bool ok = verb == "add" ? accounts.add(name, password, groups, s.today(), &error)
                                      : accounts.setPassword(name, password, &error);
        if (!ok)
            return fail(error + (error.rfind("there is already", 0) == 0
                                     ? " (kb user passwd changes the password)"
                                     : ""));
        printOut((verb == "add" ? "added " : "changed the password of ") + displayLine(name) +
                 "\n");
        return 0;
    }
    if (verb == "groups") {
        if (!accounts.setGroups(name, groups, &error))
            return fail(error);
        printOut("groups of " + displayLine(name) + " set\n");
        return 0;
    }
    if (verb == "remove") {
        if (!accounts.remove(name, &error))
            return fail(error);
        printOut("removed " + displayLine(name) + "\n");
        return 0;
    }
    return usageError("user", "say add, passwd, groups, remove or list");
}

} // namespace kb
