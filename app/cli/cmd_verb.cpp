#include "cli/commands.h"
#include "core/plugincall.h"
#include "services/hostservices.h"
#include "services/output.h"
#include "services/session.h"

#include <kb/recordtype.h>

#include <QStringList>

namespace kb {

int runPluginVerb(Session &s, const PluginInfo &plugin, const std::string &invokedAs,
                  const Args &args)
{
    const auto &verbs = plugin.schema.verbs;
    auto verbHelp = [&] {
        std::string out =
            "Usage: kb " + invokedAs + " VERB [ARGS]\n\nVerbs of " + plugin.id + ":\n";
        for (const auto &v : verbs)
            out += "  " + v.name + " " + v.args + "\n      " + v.description + "\n";
        return out;
    };
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        printOut(verbHelp());
        return args.empty() ? 2 : 0;
    }
    const VerbSpec *verb = nullptr;
    for (const auto &v : verbs)
        if (v.name == args[0])
            verb = &v;
    if (!verb) {
        printErr(verbHelp()); // the list first; the error line (one line, escaped) last
        return usageError(invokedAs, "unknown verb '" + args[0] + "'");
    }
    std::string error;
    if (!s.openRoot(&error))
        return environmentError(error);
    QStringList rest;
    for (std::size_t i = 1; i < args.size(); ++i)
        rest << QString::fromStdString(args[i]);
    HostServices host(s);
    try {
        const PluginCall call(plugin.id, "verb " + verb->name);
        return plugin.instance->runVerb(QString::fromStdString(verb->name), rest, host);
    } catch (const std::exception &e) {
        return environmentError("plugin '" + plugin.id + "' failed: " + e.what());
    } catch (...) {
        return environmentError("plugin '" + plugin.id + "' failed");
    }
}

} // namespace kb
