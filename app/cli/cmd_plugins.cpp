#include "cli/commands.h"
#include "services/args.h"
#include "services/output.h"
#include "services/session.h"

#include "core/manifest.h"

#include <kb/version.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>
#include <map>

namespace kb {
namespace {

int lineAt(const QByteArray &text, qsizetype offset)
{
    return 1 + static_cast<int>(
                   std::count(text.begin(), text.begin() + std::min(offset, text.size()), '\n'));
}

// The line of every key of a JSON text (already known to be valid), by the paths the
// manifest reader names problems with: "Fields[1].Required" -> 7.
class KeyLines {
public:
    explicit KeyLines(const QByteArray &text) : t_(text) { value({}); }
    // "Fields[1] (mood).Requried: unknown key" -> "7: Fields[1] (mood).Requried: ...".
    std::string locate(const std::string &problem) const
    {
        std::string path = problem.substr(0, problem.find(": "));
        for (std::size_t open; (open = path.find(" (")) != std::string::npos;)
            path.erase(open, path.find(')', open) - open + 1); // drop the "(name)" notes
        for (std::string p = path; !p.empty(); p = p.substr(0, p.find_last_of(".["))) {
            auto it = lines_.find(p);
            if (it != lines_.end())
                return std::to_string(it->second) + ": " + problem;
            if (p.find_last_of(".[") == std::string::npos)
                break;
        }
        return " " + problem;
    }

private:
    void space()
    {
        while (i_ < t_.size() &&
               (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t')) {
            if (t_[i_] == '\n')
                ++line_;
            ++i_;
        }
    }
    std::string string()
    {
        std::string out;
        for (++i_; i_ < t_.size() && t_[i_] != '"'; ++i_) {
            if (t_[i_] == '\\')
                ++i_;
            if (i_ < t_.size())
                out += t_[i_];
        }
        ++i_;
        return out;
    }
    void value(const std::string &path)
    {
        space();
        if (i_ >= t_.size())
            return;
        if (t_[i_] == '{') {
            ++i_;
            for (space(); i_ < t_.size() && t_[i_] != '}'; space()) {
                if (t_[i_] == ',') {
                    ++i_;
                    continue;
                }
                const int at = line_;
                const std::string key = path.empty() ? string() : path + "." + string();
                lines_.emplace(key, at);
                space();
                ++i_; // ':'
                value(key);
            }
            ++i_;
        } else if (t_[i_] == '[') {
            ++i_;
            int index = 0;
            for (space(); i_ < t_.size() && t_[i_] != ']'; space()) {
                if (t_[i_] == ',') {
                    ++i_;
                    continue;
                }
                const std::string item = path + "[" + std::to_string(index++) + "]";
                lines_.emplace(item, line_);
                value(item);
            }
            ++i_;
        } else if (t_[i_] == '"') {
            string();
        } else {
            while (i_ < t_.size() && !strchr(",}] \n\r\t", t_[i_]))
                ++i_;
        }
    }

    const QByteArray &t_;
    qsizetype i_ = 0;
    int line_ = 1;
    std::map<std::string, int> lines_;
};

// `kb plugins check FILE.json...`: a manifest checked before it is built, against the
// rules the host loads it by and against the plugins this kb finds.
int checkManifests(Session &s, const std::vector<std::string> &files)
{
    int failed = 0;
    for (const std::string &name : files) {
        QFile file(QString::fromStdString(name));
        if (!file.open(QIODevice::ReadOnly)) {
            printErr(name + ": cannot read: " + file.errorString().toStdString() + "\n");
            ++failed;
            continue;
        }
        const QByteArray text = file.readAll();
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
        if (!doc.isObject()) {
            printErr(name + ":" + std::to_string(lineAt(text, parseError.offset)) + ": " +
                     (doc.isNull() ? parseError.errorString().toStdString()
                                   : std::string("a manifest is one JSON object")) +
                     "\n");
            ++failed;
            continue;
        }
        TypeSchema schema;
        std::vector<std::string> problems;
        parseManifest(doc.object(), &schema, &problems);
        if (const QJsonValue api = doc.object().value(QLatin1String("Api"));
            api.isDouble() && api.toDouble() != Kb::SdkApiVersion)
            problems.insert(problems.begin(),
                            "Api: " + QString::number(api.toDouble()).toStdString() +
                                ", but this kb provides SDK API " +
                                std::to_string(Kb::SdkApiVersion));
        {
            const auto conflicts = s.plugins().conflictsOf(schema);
            problems.insert(problems.end(), conflicts.begin(), conflicts.end());
            for (std::size_t i = 0; i < schema.requiredTypes.size(); ++i)
                if (!s.plugins().findRecordType(schema.requiredTypes[i]))
                    problems.push_back("Requires[" + std::to_string(i) + "]: record type '" +
                                       schema.requiredTypes[i] +
                                       "' is provided by no plugin this kb finds");
        }
        const KeyLines lines(text);
        for (const std::string &p : problems)
            printErr(name + ":" + lines.locate(p) + "\n");
        if (!problems.empty()) {
            ++failed;
            continue;
        }
        printOut(name + ": ok (plugin '" + schema.pluginId + "'" +
                 (schema.hasRecords ? ", record type '" + schema.type + "'" : std::string()) +
                 ")\n");
    }
    return failed ? 1 : 0;
}

QJsonObject toJson(const PluginInfo &p)
{
    QJsonObject o;
    o["id"] = QString::fromStdString(p.id);
    o["name"] = QString::fromStdString(p.name);
    o["version"] = QString::fromStdString(p.version);
    o["api"] = p.api;
    o["path"] = QString::fromStdString(p.path);
    o["bundled"] = p.bundled;
    o["state"] = QString::fromStdString(std::string(pluginStateName(p.state)));
    o["error"] = QString::fromStdString(p.error);
    QJsonArray problems;
    for (const auto &problem : p.problems)
        problems.append(QString::fromStdString(problem));
    o["problems"] = problems;
    if (p.changedOnDisk)
        o["changed_on_disk"] = true;
    if (p.state == PluginState::Loaded) {
        o["type"] = QString::fromStdString(p.schema.type);
        // What a plugin author reusing a field (customer, touchpoint) must match.
        QJsonArray fields;
        for (const FieldSpec &f : p.schema.fields) {
            QJsonObject field{{"name", QString::fromStdString(f.name)},
                              {"type", QString::fromStdString(std::string(fieldTypeName(f.type)))}};
            if (f.type == FieldType::List)
                field["of"] = QString::fromStdString(std::string(fieldTypeName(f.itemType)));
            if (!f.vocabulary.empty())
                field["vocabulary"] = QString::fromStdString(f.vocabulary);
            if (!f.prefix.empty())
                field["prefix"] = QString::fromStdString(f.prefix);
            QJsonArray clearance;
            for (const std::string &v : f.clearance)
                clearance.append(QString::fromStdString(v));
            if (!clearance.isEmpty())
                field["clearance"] = clearance;
            fields.append(field);
        }
        if (p.schema.hasRecords)
            o["fields"] = fields;
        QJsonArray verbs;
        for (const auto &v : p.schema.verbs)
            verbs.append(QString::fromStdString(v.name));
        o["verbs"] = verbs;
    }
    return o;
}

} // namespace

int runPlugins(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {{"json", false, "print JSON"}};
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("plugins", error);
    if (a.help) {
        printOut("Usage: kb plugins [--json]\n"
                 "       kb plugins check MANIFEST.json...\n\n"
                 "Lists every plugin found on the search path (--plugin-path, KB_PLUGIN_PATH, "
                 "the install folder, the build tree) with its version, path, state and, for "
                 "failed ones, each problem by manifest key. Exits 1 when a plugin failed.\n\n"
                 "check: validates plugin manifests before they are built: every key's name "
                 "and type, and conflicts with the plugins this kb finds.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (!a.positional.empty() && a.positional.front() == "check") {
        if (a.positional.size() < 2)
            return usageError("plugins", "check needs one or more manifest files");
        return checkManifests(s, {a.positional.begin() + 1, a.positional.end()});
    }
    if (!a.positional.empty())
        return usageError("plugins", "unknown argument '" + a.positional.front() + "'");
    const PluginHost &host = s.plugins();
    const auto &plugins = host.plugins();
    if (a.flag("json")) {
        QJsonArray arr;
        for (const auto &p : plugins)
            arr.append(toJson(p));
        printJson(QJsonDocument(arr));
        return host.anyFailed() ? 1 : 0;
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
        if (p.problems.empty() && !p.error.empty())
            line += "\n    " + p.error;
        for (const auto &problem : p.problems)
            line += "\n    " + problem;
        if (p.changedOnDisk)
            line += "\n    changed on disk since this process loaded it; restart to run the "
                    "new version";
        printOut(line + "\n");
    }
    if (host.anyFailed())
        printErr("kb plugins: " +
                 std::to_string(std::count_if(
                     plugins.begin(), plugins.end(),
                     [](const PluginInfo &p) { return p.state == PluginState::Failed; })) +
                 " plugin(s) failed to load; the others work\n");
    return host.anyFailed() ? 1 : 0;
}

} // namespace kb
