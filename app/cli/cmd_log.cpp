// `kb log ID` and `kb restore ID VERSION`: a record's versions in the root's git history.
#include "cli/commands.h"
#include "core/displaytext.h"
#include "services/args.h"
#include "services/output.h"
#include "services/qtstring.h"
#include "services/recordhistory.h"
#include "services/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kb {

namespace {

// The record named on the command line, or nullptr after printing why not.
const Record *namedRecord(Session &s, const std::string &command, const std::string &id)
{
    std::string error;
    if (!s.openRoot(&error)) {
        environmentError(error);
        return nullptr;
    }
    const Record *r = s.store().byId(id);
    if (!r)
        printErr("kb " + command + ": no record with id '" + displayLine(id) + "'\n");
    return r;
}

std::string shown(const std::string &v)
{
    return v.empty() ? std::string("(none)") : displayLine(v);
}

} // namespace

int runLog(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {{"json", false, "print the versions as JSON"},
                                           {"limit", true, "show at most N versions (default 50)"}};
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("log", error);
    if (a.help) {
        printOut("Usage: kb log ID [--limit N] [--json]\n\nThe versions of a record in the root's "
                 "git history, newest first: who, when, the commit message and what changed in "
                 "its fields and body. `kb restore ID VERSION` writes one back.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (a.positional.size() != 1)
        return usageError("log", "takes exactly one record ID");
    const std::string limitText = a.value("limit", "50");
    if (limitText.empty() || limitText.size() > 6 ||
        limitText.find_first_not_of("0123456789") != std::string::npos || std::stoi(limitText) < 1)
        return usageError("log", "--limit takes a whole number from 1 to 999999");
    const Record *r = namedRecord(s, "log", a.positional[0]);
    if (!r)
        return 2;
    std::vector<RecordVersion> versions;
    if (!recordVersions(s, *r, std::size_t(std::stoi(limitText)), &versions, &error)) {
        printErr("kb log: " + error + "\n");
        return 2;
    }
    if (a.flag("json")) {
        const QJsonArray out = recordVersionsJson(versions);
        printJson(QJsonDocument(QJsonObject{
            {"id", q(Store::effectiveId(*r))}, {"path", q(r->path)}, {"versions", out}}));
        return 0;
    }
    if (versions.empty()) {
        printOut(r->path + " has no committed version yet" +
                 (s.root().gitHistory ? std::string()
                                      : " (history: git in kb.yaml commits every write)") +
                 "\n");
        return 1;
    }
    std::string text;
    for (const RecordVersion &v : versions) {
        text += v.shortCommit + "  " + v.date + "  " + displayLine(v.author) + " <" +
                displayLine(v.email) + ">\n    " + displayLine(v.message) + "\n";
        if (!v.readable)
            text += "      (this version is not a readable record)\n";
        else if (v.first)
            text += "      (the first version)\n"; // every field is new: `kb show` prints it
        else
            for (const FieldChange &c : v.diff.fields)
                text += "      " + displayLine(c.field) + ": " + shown(c.before) + " → " +
                        shown(c.after) + "\n";
        if (!v.first && v.diff.bodyChanged())
            text += "      body: +" + std::to_string(v.diff.linesAdded) + " −" +
                    std::to_string(v.diff.linesRemoved) + " lines\n";
    }
    printOut(text);
    return 0;
}

int runRestore(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"force", false, "write even if a plugin rule refuses the restored version"}};
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("restore", error);
    if (a.help) {
        printOut("Usage: kb restore ID VERSION [--force]\n\nWrites an earlier version of a "
                 "record (VERSION: its commit id from `kb log ID`, at least 4 characters) back "
                 "as a new change, checked as every write is; nothing is lost, the version it "
                 "replaces stays in the history.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (a.positional.size() != 2)
        return usageError("restore", "takes a record ID and a VERSION (see kb log ID)");
    const Record *r = namedRecord(s, "restore", a.positional[0]);
    if (!r)
        return 2;
    s.forceRuleErrors = a.flag("force");
    std::string said;
    const int code = restoreRecordVersion(s, *r, a.positional[1], &said);
    if (code == 0)
        printOut(displayLine(said) + "\n");
    else
        printErr("kb restore: " + displayLine(said) +
                 (said.find("has no version") != std::string::npos
                      ? " (kb log " + Store::effectiveId(*r) + " lists them)"
                      : std::string()) +
                 "\n");
    return code;
}

} // namespace kb
