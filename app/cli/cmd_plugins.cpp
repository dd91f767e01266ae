#include "args.h"
#include "commands.h"
#include "output.h"
#include "session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace kb {

int runPlugins(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {{"json", false, "print JSON"}};
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("plugins", error);
    if (a.help) {
        printOut("Usage: kb plugins [--json]\n\nLists every plugin found on the search path "
                 "(--plugin-path, KB_PLUGIN_PATH, the install folder, the build tree) with its "
                 "version, path, state and, for failed ones, the reason.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    const auto &plugins = s.plugins().plugins();
    if (a.flag("json")) {
        QJsonArray arr;
        for (const auto &p : plugins) {
            QJsonObject o;
            o["id"] = QString::fromStdString(p.id);
            o["name"] = QString::fromStdString(p.name);
            o["version"] = QString::fromStdString(p.version);
            o["api"] = p.api;
            o["path"] = QString::fromStdString(p.path);
            o["state"] = QString::fromStdString(std::string(pluginStateName(p.state)));
            o["error"] = QString::fromStdString(p.error);
            if (p.state == PluginState::Loaded) {
                o["type"] = QString::fromStdString(p.schema.type);
                QJsonArray verbs;
                for (const auto &v : p.schema.verbs)
                    verbs.append(QString::fromStdString(v.name));
                o["verbs"] = verbs;
            }
            arr.append(o);
        }
        printJson(QJsonDocument(arr));
        return 0;
    }
    if (plugins.empty()) {
        printOut("no plugins found (search path: --plugin-path, KB_PLUGIN_PATH, "
                 "<prefix>/lib/kb/plugins)\n");
        return 0;
    }
    for (const auto &p : plugins) {
        std::string line = p.id + "  " + (p.version.empty() ? "-" : p.version) + "  " +
                           std::string(pluginStateName(p.state));
        if (p.state == PluginState::Loaded)
            line += p.schema.hasRecords ? "  type=" + p.schema.type : std::string("  (verbs only)");
        line += "  " + p.path;
        if (!p.error.empty())
            line += "\n    " + p.error;
        printOut(line + "\n");
    }
    return 0;
}

} // namespace kb
