#include "web/pluginviews.h"

#include "web/chartsvg.h"

#include "core/plugincall.h"
#include "core/pluginhost.h"
#include "core/vocabulary.h"
#include "services/hostservices.h"
#include "services/qtstring.h"
#include "services/readerscope.h"
#include "services/session.h"
#include "web/markdownhtml.h"

#include <kb/recordtype.h>

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

namespace kb::web {

namespace {

// The view `name` of the loaded plugin with id `pluginId` (not a type name), or nullptr.
const ViewSpec *findView(Session &s, const std::string &pluginId, const std::string &name,
                         const PluginInfo **plugin)
{
    *plugin = s.plugins().findPlugin(pluginId);
    if (!*plugin || (*plugin)->id != pluginId)
        return nullptr;
    for (const ViewSpec &v : (*plugin)->schema.views)
        if (v.name == name)
            return &v;
    return nullptr;
}

// A plugin verb run for the web: what it printed is collected, not written to the
// terminal; a plugin that throws comes back as exit code 2 with a message.
struct VerbRun {
    int code = 2;
    std::string out, err;
};

VerbRun runVerb(Session &s, const PluginInfo &plugin, const std::string &verb,
                const QStringList &args, std::function<bool(const Record &)> visible)
{
    VerbRun run;
    HostServices host(s, &run.out, &run.err);
    host.setVisibility(std::move(visible));
    try {
        const PluginCall call(plugin.id, "verb " + verb);
        run.code = plugin.instance->runVerb(q(verb), args, host);
    } catch (const std::exception &e) {
        run.code = 2;
        run.err = "plugin '" + plugin.id + "' failed: " + e.what();
    } catch (...) {
        run.code = 2;
        run.err = "plugin '" + plugin.id + "' failed";
    }
    return run;
}

} // namespace

ApiResponse runView(Session &session, const ReaderScope &reader, const std::string &pluginId,
                    const std::string &name, const Params &p)
{
    const PluginInfo *plugin = nullptr;
    const ViewSpec *spec = findView(session, pluginId, name, &plugin);
    if (!spec)
        return ApiResponse::error(404, "no view '" + pluginId + "/" + name + "'");
    QStringList args;
    for (const std::string &arg : spec->args)
        args << q(arg);
    bool anyParam = false;
    for (const ViewParam &vp : spec->params) {
        const std::string value = param(p, vp.vocabulary);
        if (value.empty())
            continue;
        if (!session.vocab().lookup(vp.vocabulary, value))
            return ApiResponse::error(400, vp.vocabulary + ": no term '" + value + "'");
        if (!vp.flag.empty())
            args << q(vp.flag);
        args << q(value);
        anyParam = true;
    }
    if (!spec->params.empty() && !anyParam)
        return ApiResponse::json(QJsonObject{{"kind", q(spec->kind)}, {"needs_params", true}});
    if (spec->kind == "board")
        if (const std::string owner = param(p, "owner"); !owner.empty())
            args << "--owner" << q(owner);
    if (reader.cleared() && !spec->restrictedFlag.empty())
        args << q(spec->restrictedFlag);
    const VerbRun run = runVerb(session, *plugin, spec->verb, args, reader.visibility());
    // Exit code 2 is a verb's usage error: the parameters asked for, not the server.
    if (run.code == 2 && !run.err.empty())
        return ApiResponse::error(400, run.err.substr(0, run.err.find_last_not_of('\n') + 1));
    if (run.code > 1)
        return ApiResponse::error(500, run.err.empty() ? "the view failed" : run.err);
    const std::string &out = run.out;
    QJsonObject result{{"kind", q(spec->kind)}};
    if (spec->kind == "markdown") {
        result["html"] = q(markdownToSafeHtml(out));
        result["markdown"] = q(out);
        return ApiResponse::json(result);
    }
    QJsonParseError pe{};
    QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(out), &pe);
    if (pe.error != QJsonParseError::NoError)
        return ApiResponse::error(500, "plugin '" + pluginId + "' printed no JSON for its view");
    if (spec->kind == "charts") {
        // Drawn here, in the reader's language: the page puts each drawing in as it is.
        const std::string lang = param(p, "lang") == "en" ? "en" : "zh";
        QJsonObject data = doc.object();
        QJsonArray charts;
        for (const QJsonValue &c : data.value("charts").toArray()) {
            QJsonObject chart = c.toObject();
            chart["svg"] = q(chartSvg(chart, lang));
            charts.append(chart);
        }
        data["charts"] = charts;
        result["data"] = data;
        return ApiResponse::json(result);
    }
    result["data"] = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    return ApiResponse::json(result);
}

ApiResponse moveBoardCard(Session &session, const ReaderScope &reader, const std::string &pluginId,
                          const std::string &name, const QJsonObject &in)
{
    const PluginInfo *plugin = nullptr;
    const ViewSpec *spec = findView(session, pluginId, name, &plugin);
    if (!spec || spec->kind != "board")
        return ApiResponse::error(404, "no board '" + pluginId + "/" + name + "'");
    const QString id = in.value("id").toString(), to = in.value("to").toString();
    const QString note = in.value("note").toString().simplified();
    if (id.isEmpty() || to.isEmpty())
        return ApiResponse::error(400, "id and to are required");
    if (reader.hidesId(id.toStdString()))
        return ApiResponse::error(404, "no record with id '" + id.toStdString() + "'");
    QStringList args{id, to};
    if (!note.isEmpty())
        args << "--note" << note;
    const VerbRun run = runVerb(session, *plugin, spec->move, args, reader.visibility());
    auto oneLine = [](std::string s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
            s.pop_back();
        return s;
    };
    if (run.code != 0)
        return ApiResponse::error(run.code == 1 ? 422 : 400,
                                  oneLine(run.err.empty() ? run.out : run.err));
    return ApiResponse::json(QJsonObject{{"message", q(oneLine(run.out))}});
}

} // namespace kb::web
