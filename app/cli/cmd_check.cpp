#include "cli/commands.h"
#include "services/args.h"
#include "services/output.h"
#include "services/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace kb {

int runCheck(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"json", false, "print findings as JSON"},
        {"strict", false, "warnings (overdue, unverified ...) fail the check too"},
    };
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("check", error);
    if (a.help) {
        printOut(
            "Usage: kb check [--json] [--strict]\n\nValidates every file under the root against "
            "its type's schema and rules. Prints `path:line: message` per finding; exits 1 "
            "when there are errors (or, with --strict, warnings), 0 when clean.\n\n" +
            formatOptions(specs));
        return 0;
    }
    if (!a.positional.empty())
        return usageError("check", "takes no arguments");
    if (!s.openRoot(&error))
        return environmentError(error);
    const auto findings = s.checkAll();
    if (a.flag("json")) {
        QJsonArray arr;
        for (const auto &f : findings) {
            QJsonObject o;
            o["path"] = QString::fromStdString(f.path);
            o["line"] = f.line;
            o["field"] = QString::fromStdString(f.field);
            o["message"] = QString::fromStdString(f.message);
            o["severity"] = f.warning ? "warning" : "error";
            arr.append(o);
        }
        QJsonObject root;
        root["files"] = static_cast<int>(s.store().records().size());
        root["findings"] = arr;
        printJson(QJsonDocument(root));
    } else {
        for (const auto &f : findings)
            printOut(f.toString() + "\n");
        if (s.stdoutIsTty || findings.empty())
            printErr(std::to_string(s.store().records().size()) + " records checked, " +
                     std::to_string(findings.size()) + " findings\n");
    }
    const bool strict = a.flag("strict");
    const bool failed = std::any_of(findings.begin(), findings.end(),
                                    [&](const Finding &f) { return strict || !f.warning; });
    return failed ? 1 : 0;
}

} // namespace kb
