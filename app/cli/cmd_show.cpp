#include "cli/commands.h"
#include "core/displaytext.h"
#include "core/recordbridge.h"
#include "services/args.h"
#include "services/output.h"
#include "services/session.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace kb {

int runShow(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {{"json", false, "print the record as JSON"}};
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("show", error);
    if (a.help) {
        printOut("Usage: kb show ID [--json]\n\nPrints a record: the file as written, or its "
                 "fields and body as JSON.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (a.positional.size() != 1)
        return usageError("show", "takes exactly one record ID");
    if (!s.openRoot(&error))
        return environmentError(error);
    const Record *r = s.store().byId(a.positional[0]);
    if (!r) {
        printErr("kb show: no record with id '" + displayLine(a.positional[0]) + "'\n");
        return 1;
    }
    if (!a.flag("json")) {
        // The file as written; on a terminal its control characters are shown, not obeyed.
        printOut(s.stdoutIsTty ? displayBlock(r->text) : r->text);
        if (!r->text.empty() && r->text.back() != '\n')
            printOut("\n");
        return 0;
    }
    const PluginInfo *plugin = s.plugins().findRecordType(r->type());
    Kb::RecordData d = toRecordData(*r, Store::effectiveId(*r), plugin ? &plugin->schema : nullptr);
    QJsonObject o;
    o["id"] = d.id;
    o["path"] = d.path;
    o["type"] = QString::fromStdString(r->plainNote ? "note" : r->type());
    o["title"] = QString::fromStdString(r->title());
    o["fields"] = d.fields;
    o["body"] = d.body;
    printJson(QJsonDocument(o));
    return 0;
}

} // namespace kb
