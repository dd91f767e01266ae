// `kb log ID` and `kb restore ID VERSION`: a record's versions in the root's git history.
#include "cli/commands.h"
#include "core/displaytext.h"
#include "core/recorddiff.h"
#include "core/recordedit.h"
#include "services/args.h"
#include "services/githistory.h"
#include "services/output.h"
#include "services/qtstring.h"
#include "services/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <ctime>
#include <optional>

namespace kb {

namespace {

// "2026-12-02 10:15 +0800", in the author's own time zone.
std::string when(const GitHistory::Version &v)
{
    const std::time_t t = static_cast<std::time_t>(v.time + v.offsetMinutes * 60LL);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    const int off = v.offsetMinutes < 0 ? -v.offsetMinutes : v.offsetMinutes;
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d%02d", v.offsetMinutes < 0 ? '-' : '+', off / 60,
                  off % 60);
    return std::string(buf) + " " + zone;
}

// The record's file and its versions, newest first; nullopt after printing why not.
struct Versions {
    const Record *record = nullptr;
    std::vector<GitHistory::Version> list;
};

std::optional<Versions> versionsOf(Session &s, const std::string &command, const std::string &id,
                                   std::size_t limit)
{
    std::string error;
    if (!s.openRoot(&error)) {
        environmentError(error);
        return std::nullopt;
    }
    Versions v;
    v.record = s.store().byId(id);
    if (!v.record) {
        printErr("kb " + command + ": no record with id '" + displayLine(id) + "'\n");
        return std::nullopt;
    }
    GitHistory *history = s.history(&error);
    if (!history) {
        printErr("kb " + command + ": " + error + "\n");
        return std::nullopt;
    }
    v.list = history->versions(v.record->path, limit, &error);
    if (!error.empty()) {
        printErr("kb " + command + ": " + error + "\n");
        return std::nullopt;
    }
    return v;
}

std::optional<Record> parsed(const std::string &path, const std::string &text)
{
    ParseResult p = parseRecord(path, text);
    return p.record;
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
    const std::size_t limit = std::size_t(std::stoi(limitText));
    // One more than shown: the oldest shown is compared with the one before it.
    const std::optional<Versions> v = versionsOf(s, "log", a.positional[0], limit + 1);
    if (!v)
        return 2;
    const Record &r = *v->record;
    QJsonArray out;
    std::string text;
    for (std::size_t i = 0; i < v->list.size() && i < limit; ++i) {
        const GitHistory::Version &ver = v->list[i];
        const std::optional<Record> now = parsed(r.path, ver.text);
        const std::optional<Record> before =
            i + 1 < v->list.size() ? parsed(r.path, v->list[i + 1].text) : std::nullopt;
        const RecordDiff d = now ? diffRecords(before ? &*before : nullptr, *now) : RecordDiff{};
        QJsonArray changes;
        text += ver.commit.substr(0, 7) + "  " + when(ver) + "  " + displayLine(ver.author) + " <" +
                displayLine(ver.email) + ">\n    " + displayLine(ver.message) + "\n";
        if (!before && now)
            text += "      (the first version)\n";
        for (const FieldChange &c : d.fields) {
            changes.append(
                QJsonObject{{"field", q(c.field)}, {"before", q(c.before)}, {"after", q(c.after)}});
            if (!before)
                continue; // every field is new: the file is what `kb show` prints
            text += "      " + displayLine(c.field) + ": " +
                    displayLine(c.before.empty() ? "(none)" : c.before) + " → " +
                    displayLine(c.after.empty() ? "(none)" : c.after) + "\n";
        }
        if (d.bodyChanged())
            text += "      body: +" + std::to_string(d.linesAdded) + " −" +
                    std::to_string(d.linesRemoved) + " lines\n";
        if (!now)
            text += "      (this version is not a readable record)\n";
        out.append(QJsonObject{
            {"version", q(ver.commit)},
            {"short", q(ver.commit.substr(0, 7))},
            {"author", q(ver.author)},
            {"email", q(ver.email)},
            {"date", q(when(ver))},
            {"time", qint64(ver.time)},
            {"message", q(ver.message)},
            {"changes", changes},
            {"body", QJsonObject{{"added", d.linesAdded}, {"removed", d.linesRemoved}}}});
    }
    if (a.flag("json")) {
        printJson(QJsonDocument(
            QJsonObject{{"id", q(Store::effectiveId(r))}, {"path", q(r.path)}, {"versions", out}}));
        return 0;
    }
    if (v->list.empty()) {
        printOut(r.path + " has no committed version yet" +
                 (s.root().gitHistory ? std::string()
                                      : " (history: git in kb.yaml commits every write)") +
                 "\n");
        return 1;
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
    const std::string &wanted = a.positional[1];
    if (wanted.size() < 4 || wanted.find_first_not_of("0123456789abcdef") != std::string::npos)
        return usageError("restore", "VERSION is a commit id of at least 4 hex digits, as kb "
                                     "log shows it");
    const std::optional<Versions> v = versionsOf(s, "restore", a.positional[0], 100000);
    if (!v)
        return 2;
    const GitHistory::Version *found = nullptr;
    for (const GitHistory::Version &ver : v->list)
        if (ver.commit.compare(0, wanted.size(), wanted) == 0) {
            if (found) {
                printErr("kb restore: '" + wanted +
                         "' names more than one version; give more "
                         "of its digits\n");
                return 2;
            }
            found = &ver;
        }
    if (!found) {
        printErr("kb restore: " + v->record->path + " has no version '" + wanted + "' (kb log " +
                 Store::effectiveId(*v->record) + " lists them)\n");
        return 1;
    }
    const Record &r = *v->record;
    std::string text = found->text;
    std::string dated;
    if (editRecordText(text, {{"updated", s.today()}}, "", &dated, &error))
        text = std::move(dated);
    if (text == r.text) {
        printOut(r.path + " is already that version\n");
        return 0;
    }
    s.forceRuleErrors = a.flag("force");
    s.describeNextWrite("restored " + found->commit.substr(0, 7) + " of " +
                        when(*found).substr(0, 10) + " by " + found->author);
    std::vector<Finding> refusedBy;
    if (!s.writeRecord(r.path, text, false, &r.text, &error, &refusedBy)) {
        printErr("kb restore: " + error + "\n");
        return 1;
    }
    printOut(r.path + ": restored " + found->commit.substr(0, 7) + " (" + when(*found) + ", " +
             displayLine(found->author) + ")\n");
    return 0;
}

} // namespace kb
