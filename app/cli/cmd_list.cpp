#include "cli/commands.h"
#include "core/displaytext.h"
#include "services/args.h"
#include "services/output.h"
#include "services/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace kb {
namespace {

// A list or scalar field matches when any of its values equals the wanted one.
bool fieldMatches(const Record &r, const std::string &key, const std::string &wanted)
{
    if (key == "type" && r.plainNote)
        return wanted == "note";
    const FieldValue *v = r.field(key);
    if (!v)
        return false;
    for (const auto &item : v->asList())
        if (item == wanted)
            return true;
    return false;
}

std::string sortKey(const Record &r, const std::string &field)
{
    if (field == "title")
        return r.title();
    if (field == "id")
        return Store::effectiveId(r);
    const FieldValue *v = r.field(field);
    return v ? v->asText() : std::string();
}

} // namespace

int runList(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"where", true, "FIELD=VALUE filter; repeat to combine (all must match)"},
        {"sort", true, "sort by FIELD (prefix with '-' for descending)"},
        {"json", false, "print JSON"},
    };
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("list", error);
    if (a.help) {
        printOut("Usage: kb list [TYPE] [--where FIELD=VALUE]... [--sort [-]FIELD] [--json]\n\n"
                 "Lists records: id, type, date and title.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (a.positional.size() > 1)
        return usageError("list", "takes at most one TYPE");
    if (!s.openRoot(&error))
        return environmentError(error);
    std::vector<std::pair<std::string, std::string>> where;
    if (auto it = a.values.find("where"); it != a.values.end()) {
        for (const auto &w : it->second) {
            auto eq = w.find('=');
            if (eq == std::string::npos || eq == 0)
                return usageError("list", "--where needs FIELD=VALUE, got '" + w + "'");
            where.emplace_back(w.substr(0, eq), w.substr(eq + 1));
        }
    }
    std::string type;
    if (!a.positional.empty()) {
        const PluginInfo *p = s.plugins().findRecordType(a.positional[0]);
        type = p ? p->schema.type : a.positional[0];
        if (!p && type != "note")
            return usageError("list", "unknown type '" + type + "' (" +
                                          s.plugins().whyUnknownType(type) + ")");
    }
    for (const auto &f : s.store().findings())
        printErr("warning: " + f.toString() + "\n");
    std::vector<const Record *> rows;
    for (const auto &r : s.store().records()) {
        if (!type.empty() && !fieldMatches(r, "type", type))
            continue;
        bool ok = std::all_of(where.begin(), where.end(),
                              [&](const auto &w) { return fieldMatches(r, w.first, w.second); });
        if (ok)
            rows.push_back(&r);
    }
    std::string sort = a.value("sort");
    if (!sort.empty()) {
        bool desc = sort[0] == '-';
        std::string field = desc ? sort.substr(1) : sort;
        std::stable_sort(rows.begin(), rows.end(), [&](const Record *x, const Record *y) {
            return desc ? sortKey(*y, field) < sortKey(*x, field)
                        : sortKey(*x, field) < sortKey(*y, field);
        });
    }
    if (a.flag("json")) {
        QJsonArray arr;
        for (const Record *r : rows) {
            QJsonObject o;
            o["id"] = QString::fromStdString(Store::effectiveId(*r));
            o["type"] = QString::fromStdString(r->plainNote ? "note" : r->type());
            o["title"] = QString::fromStdString(r->title());
            o["date"] = QString::fromStdString(r->value("date"));
            o["path"] = QString::fromStdString(r->path);
            arr.append(o);
        }
        printJson(QJsonDocument(arr));
        return 0;
    }
    for (const Record *r : rows) {
        std::string date = r->value("date");
        printOut(displayLine(Store::effectiveId(*r)) + "  " +
                 displayLine(r->plainNote ? "note" : r->type()) + "  " +
                 (date.empty() ? "----------" : displayLine(date)) + "  " +
                 displayLine(r->title()) + "\n");
    }
    return 0;
}

} // namespace kb
