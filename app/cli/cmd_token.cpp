// `kb token add NAME [--group G]...`, `kb token list`, `kb token revoke ID`: per-user API
// tokens for scripts against kb serve.
#include "cli/commands.h"
#include "core/displaytext.h"
#include "services/apitokens.h"
#include "services/args.h"
#include "services/output.h"
#include "services/qtstring.h"
#include "services/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kb {

int runToken(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"group", true, "a group the person is in (repeat for several)"},
        {"json", false, "list as JSON"}};
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("token", error);
    const std::string usage =
        "Usage: kb token add NAME [--group G]... | kb token list [--json] | kb token revoke ID\n\n"
        "Per-user API tokens for kb serve: `Authorization: Bearer TOKEN` acts as NAME, with the "
        "rights kb.yaml gives NAME's groups (serve: groups). A token "
        "is shown once; only its SHA-256 is kept, in .kb/tokens.json.\n\n";
    if (a.help) {
        printOut(usage + formatOptions(specs));
        return 0;
    }
    if (a.positional.empty())
        return usageError("token", "say add, list or revoke");
    if (!s.openRoot(&error))
        return environmentError(error);
    ApiTokens tokens(s.root().dir);
    const std::string &verb = a.positional[0];
    if (verb == "add") {
        if (a.positional.size() != 2 || a.positional[1].empty())
            return usageError("token", "add takes the person's NAME");
        std::vector<std::string> groups;
        if (auto it = a.values.find("group"); it != a.values.end())
            groups = it->second;
        const std::string token = tokens.add(a.positional[1], groups, s.today(), &error);
        if (token.empty()) {
            printErr("kb token: " + error + "\n");
            return 2;
        }
        printOut(token + "\n");
        printErr("kb token: the token for " + displayLine(a.positional[1]) +
                 " is shown this once; kb keeps only its hash\n");
        return 0;
    }
    if (verb == "list" && a.positional.size() == 1) {
        const std::vector<ApiToken> all = tokens.list(&error);
        if (!error.empty()) {
            printErr("kb token: " + error + "\n");
            return 2;
        }
        if (a.flag("json")) {
            QJsonArray out;
            for (const ApiToken &t : all) {
                QJsonArray groups;
                for (const std::string &g : t.groups)
                    groups.append(q(g));
                out.append(QJsonObject{{"id", q(t.id)},
                                       {"name", q(t.name)},
                                       {"groups", groups},
                                       {"created", q(t.created)}});
            }
            printJson(QJsonDocument(out));
            return 0;
        }
        std::string text;
        for (const ApiToken &t : all) {
            std::string groups;
            for (const std::string &g : t.groups)
                groups += (groups.empty() ? "" : ",") + g;
            text += t.id + "  " + t.created + "  " + displayLine(t.name) +
                    (groups.empty() ? "" : "  [" + displayLine(groups) + "]") + "\n";
        }
        printOut(text.empty() ? "no tokens\n" : text);
        return 0;
    }
    if (verb == "revoke" && a.positional.size() == 2) {
        if (!tokens.revoke(a.positional[1], &error)) {
            printErr("kb token: " + error + "\n");
            return 1;
        }
        printOut("revoked " + a.positional[1] + "\n");
        return 0;
    }
    return usageError("token", "say add NAME, list or revoke ID");
}

} // namespace kb
