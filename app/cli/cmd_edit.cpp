#include "cli/commands.h"
#include "cli/editor.h"
#include "core/atomicfile.h"
#include "core/displaytext.h"
#include "core/frontmatter.h"
#include "core/nearestname.h"
#include "core/recordedit.h"
#include "core/validator.h"
#include "services/args.h"
#include "services/output.h"
#include "services/session.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace kb {
namespace {

// Ctrl-C (or a closed terminal) while editing: the copy holds the user's work, so say
// where it is rather than leave an unnamed file in /tmp. Fixed buffer: a signal handler.
char interruptedMessage[4200];

void onInterrupt(int)
{
    ssize_t ignored = ::write(2, interruptedMessage, std::strlen(interruptedMessage));
    (void)ignored;
    ::_exit(130);
}

void sayWhereTheCopyIsOnInterrupt(const std::string &tmp)
{
    const std::string text = "\nkb edit: interrupted; your copy is kept at " + tmp + "\n";
    std::snprintf(interruptedMessage, sizeof interruptedMessage, "%s", text.c_str());
    for (int sig : {SIGINT, SIGTERM, SIGHUP})
        std::signal(sig, onInterrupt);
}

int editInEditor(Session &s, const Record &r)
{
    // Edit a copy, so a crash or a bad save never touches the record itself.
    std::string tmp =
        std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/kb-edit-XXXXXX.md";
    int fd = ::mkstemps(tmp.data(), 3);
    if (fd < 0)
        return environmentError("cannot create a temporary file");
    ::close(fd);
    std::string error;
    if (!writeFileAtomically(tmp, r.text, false, &error))
        return environmentError(error);
    sayWhereTheCopyIsOnInterrupt(tmp);
    for (;;) {
        if (!runEditor(tmp, &error)) {
            printErr("kb edit: " + error + "; your copy is kept at " + tmp + "\n");
            return 2;
        }
        std::string edited;
        readWholeFile(tmp, &edited, &error);
        if (edited == r.text) {
            ::unlink(tmp.c_str());
            printErr("kb edit: no changes\n");
            return 0;
        }
        ParseResult parsed = parseRecord(r.path, edited);
        std::vector<Finding> problems = parsed.findings;
        if (parsed.record) {
            auto f = s.checkRecord(*parsed.record);
            problems.insert(problems.end(), f.begin(), f.end());
        }
        if (!problems.empty()) {
            for (const auto &f : problems)
                printErr(f.toString() + "\n");
            printErr("Edit again? [Y/n] (n saves as it is) ");
            std::string answer;
            char c = 0;
            while (::read(0, &c, 1) == 1 && c != '\n')
                answer += c;
            if (answer != "n" && answer != "N")
                continue;
        }
        std::vector<Finding> refusedBy;
        if (!s.writeRecord(r.path, edited, false, &r.text, &error, &refusedBy)) {
            printErr("kb edit: " + error + "; your edit is kept at " + tmp + "\n");
            return refusedBy.empty() ? 2 : 1;
        }
        ::unlink(tmp.c_str());
        printOut(r.path + "\n");
        return problems.empty() ? 0 : 1;
    }
}

} // namespace

int runEdit(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"set", true, "FIELD=VALUE: set a front matter key without an editor (repeatable)"},
        {"append", true, "append Markdown to the end of the body"},
        {"force", false, "write even when a rule of the type reports an error"},
    };
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("edit", error);
    if (a.help) {
        printOut("Usage: kb edit ID [--set FIELD=VALUE]... [--append TEXT]\n\nOpens the record in "
                 "$VISUAL/$EDITOR and checks it on save, or changes fields in place with --set. "
                 "Every byte you did not change stays as it was.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (a.positional.size() != 1)
        return usageError("edit", "takes exactly one record ID");
    s.forceRuleErrors = a.flag("force");
    if (!s.openRoot(&error))
        return environmentError(error);
    const Record *r = s.store().byId(a.positional[0]);
    if (!r) {
        printErr("kb edit: no record with id '" + displayLine(a.positional[0]) + "'\n");
        return 1;
    }
    auto sets = a.values.find("set");
    const std::string append = a.value("append");
    if (sets == a.values.end() && append.empty()) {
        if (!s.stdinIsTty)
            return usageError("edit", "no terminal for an editor; use --set FIELD=VALUE");
        return editInEditor(s, *r);
    }
    const PluginInfo *plugin = s.plugins().findRecordType(r->type());
    std::vector<std::pair<std::string, std::string>> changes;
    if (sets != a.values.end()) {
        for (const auto &kv : sets->second) {
            auto eq = kv.find('=');
            if (eq == std::string::npos || eq == 0)
                return usageError("edit", "--set needs FIELD=VALUE, got '" + kv + "'");
            std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
            if (key == "id")
                return usageError("edit", "the id of a record cannot change");
            if (key == "type")
                return usageError("edit", "the type of a record cannot change (file a new "
                                          "record of the other type instead)");
            const FieldSpec *spec = plugin ? plugin->schema.find(key) : nullptr;
            // A typo ("stauts") would add a key nobody reads; keys the record already has
            // stay editable, and --force adds a new one on purpose.
            if (plugin && !spec && !r->field(key) && !a.flag("force")) {
                std::vector<std::string> names;
                for (const FieldSpec &f : commonFields())
                    names.push_back(f.name);
                for (const FieldSpec &f : plugin->schema.fields)
                    names.push_back(f.name);
                const std::string near = nearestName(key, names);
                return usageError("edit",
                                  "--set " + key + ": " + plugin->schema.type +
                                      " records have no field '" + key + "'" +
                                      (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                                      "; --force adds it anyway");
            }
            FieldValue v;
            v.kind = FieldValue::Kind::Scalar;
            v.scalar = value;
            std::string yaml = yamlScalarFor(spec, value);
            if (spec && spec->type == FieldType::List) {
                v.kind = FieldValue::Kind::List;
                v.items = splitCommaList(value);
                yaml = yamlFlowListFor(spec, v.items);
            }
            if (spec && sameFieldValue(*spec, v, r->field(key), s.vocab()))
                continue; // already so: its bytes stay as written
            if (spec) {
                std::string err = checkFieldValue(*spec, v, s.vocab());
                if (!err.empty())
                    return usageError("edit", "--set " + key + ": " + err);
            }
            changes.emplace_back(key, yaml);
        }
    }
    std::string newText;
    if (!editRecordText(r->text, changes, append, &newText, &error)) {
        printErr("kb edit: " + displayLine(r->path) + ": " + displayLine(error) + "\n");
        return 1;
    }
    if (newText == r->text) {
        printErr("kb edit: no changes\n");
        return 0;
    }
    std::vector<Finding> refusedBy;
    if (!s.writeRecord(r->path, newText, false, &r->text, &error, &refusedBy)) {
        if (!refusedBy.empty()) {
            printErr("kb edit: " + error + "\n");
            return 1;
        }
        return environmentError(error);
    }
    printOut(r->path + "\n");
    return 0;
}

} // namespace kb
