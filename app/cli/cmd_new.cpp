#include "cli/commands.h"
#include "cli/editor.h"
#include "core/displaytext.h"
#include "services/args.h"
#include "services/output.h"
#include "services/recordcreation.h"
#include "services/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace kb {
namespace {

std::string newHelp(Session &s, const PluginInfo *plugin)
{
    std::string out = "Usage: kb new TYPE [--title TEXT] [--FIELD VALUE ...] [--edit] [--json]\n\n"
                      "Files a new record of TYPE under its folder and prints its path. List "
                      "fields take comma-separated values. With --edit (and a terminal), opens "
                      "$VISUAL/$EDITOR and checks the record when you save.\n\n";
    if (!plugin) {
        out += "Types:";
        for (const auto &p : s.plugins().plugins())
            if (p.state == PluginState::Loaded && p.schema.hasRecords)
                out += " " + p.schema.type;
        return out + "\n\nRun `kb new TYPE --help` for the fields of a type.\n";
    }
    out += "Fields of " + plugin->schema.type + " (" + plugin->schema.labelZh + " / " +
           plugin->schema.labelEn + "):\n";
    for (const auto &f : plugin->schema.fields) {
        std::string line = "  --" + f.name + " (" + std::string(fieldTypeName(f.type));
        if (f.type == FieldType::List)
            line += " of " + std::string(fieldTypeName(f.itemType));
        line += f.required ? ", required" : "";
        line += ")  " + f.labelZh + " / " + f.labelEn;
        if (!f.values.empty()) {
            line += "  [";
            for (std::size_t i = 0; i < f.values.size(); ++i)
                line += (i ? "|" : "") + f.values[i];
            line += "]";
        } else if (!f.vocabulary.empty()) {
            line += "  [vocab/" + f.vocabulary + ".yaml]";
        }
        out += line + "\n";
    }
    return out;
}

} // namespace

int runNew(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"title", true, "title of the record"},
        {"date", true, "date (YYYY-MM-DD), default today"},
        {"edit", false, "open an editor on the new record"},
        {"json", false, "print {\"id\", \"path\"} as JSON"},
        {"force", false, "write even when a rule of the type reports an error"},
    };
    if (!parseArgs(args, specs, true, &a, &error))
        return usageError("new", error);
    if (a.positional.size() > 1)
        return usageError("new", "takes one TYPE");
    const PluginInfo *plugin =
        a.positional.empty() ? nullptr : s.plugins().findRecordType(a.positional[0]);
    if (a.help) {
        printOut(newHelp(s, plugin));
        return 0;
    }
    if (a.positional.empty()) {
        const std::string help = newHelp(s, nullptr);
        return usageError("new", "which type? " + help.substr(help.find("Types:")));
    }
    if (!plugin)
        return usageError("new", "unknown type '" + a.positional[0] + "' (" +
                                     s.plugins().whyUnknownType(a.positional[0]) + ")");
    if (!s.openRoot(&error))
        return environmentError(error);

    const TypeSchema &schema = plugin->schema;
    NewRecordRequest request;
    request.title = a.value("title");
    request.date = a.value("date");
    for (const auto &[name, given] : a.values)
        if (name != "title" && name != "date")
            request.values.emplace_back(name, given);
    NewRecordResult created;
    s.forceRuleErrors = a.flag("force");
    if (!createRecord(s, schema, request, &created)) {
        if (created.refusedByRules) {
            printErr("kb new: " + created.error + "\n");
            return 1;
        }
        if (!created.problems.empty()) {
            const FieldProblem &p = created.problems.front();
            return usageError("new", "--" + p.field + ": " + p.message);
        }
        return environmentError(created.error);
    }
    const std::string &id = created.id, &rel = created.path;

    if (a.flag("edit")) {
        if (!s.stdinIsTty || !s.stdoutIsTty) {
            printErr("kb new: no terminal, not opening an editor; edit " + rel + " later\n");
        } else {
            const std::string abs = s.root().dir + "/" + rel;
            for (;;) {
                if (!runEditor(abs, &error)) {
                    printErr("kb new: " + error + "; the record is saved as " + rel + "\n");
                    break;
                }
                s.reloadStore();
                auto parsed = loadRecordFile(s.root(), rel);
                std::vector<Finding> problems = parsed.findings;
                if (parsed.record) {
                    auto f = s.checkRecord(*parsed.record);
                    problems.insert(problems.end(), f.begin(), f.end());
                }
                if (problems.empty())
                    break;
                for (const auto &f : problems)
                    printErr(f.toString() + "\n");
                printErr("Edit again? [Y/n] ");
                std::string answer;
                if (!std::getline(std::cin, answer) || answer == "n" || answer == "N")
                    break;
            }
        }
    }

    if (auto parsed = loadRecordFile(s.root(), rel); parsed.record)
        for (const auto &f : s.checkRecord(*parsed.record))
            printErr("note: " + f.toString() + "\n");
    // The recurrence check: has this happened before? The three closest existing records.
    const std::vector<SimilarRecord> similar = similarRecords(s, id, 3);
    if (a.flag("json")) {
        QJsonObject o;
        o["id"] = QString::fromStdString(id);
        o["path"] = QString::fromStdString(rel);
        QJsonArray like;
        for (const SimilarRecord &r : similar)
            like.append(QJsonObject{{"id", QString::fromStdString(r.id)},
                                    {"type", QString::fromStdString(r.type)},
                                    {"title", QString::fromStdString(r.title)},
                                    {"date", QString::fromStdString(r.date)},
                                    {"closed", r.closed}});
        o["similar"] = like;
        printJson(QJsonDocument(o));
    } else {
        printOut(rel + "\n");
        if (!similar.empty()) {
            printErr("Similar records already filed (has this happened before?):\n");
            for (const SimilarRecord &r : similar)
                printErr("  " + displayLine(r.id) + "  " + displayLine(r.type) + "  " +
                         (r.date.empty() ? "" : displayLine(r.date) + "  ") + displayLine(r.title) +
                         (r.closed ? "  [closed: was it effective?]" : "") + "\n");
        }
    }
    return 0;
}

} // namespace kb
