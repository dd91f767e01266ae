#include "services/hostservices.h"

#include "core/displaytext.h"
#include "core/frontmatter.h"
#include "core/recordbridge.h"
#include "core/recordedit.h"
#include "services/fieldspecjson.h"
#include "services/session.h"

#include <QJsonArray>

#include <cstdio>

namespace kb {

const Record *HostServices::visibleRecord(const QString &id) const
{
    const Record *r = session_.store().byId(id.toStdString());
    return r && visible(*r) ? r : nullptr;
}

Kb::RecordData HostServices::dataOf(const Record &r) const
{
    const PluginInfo *plugin = session_.plugins().findRecordType(r.type());
    Kb::RecordData data =
        toRecordData(r, Store::effectiveId(r), plugin ? &plugin->schema : nullptr);
    if (!visible_ || !plugin)
        return data;
    const auto shown = [this](const QJsonValue &item) {
        return !item.isString() || visibleRecord(item.toString()) ||
               !session_.store().byId(item.toString().toStdString());
    };
    for (const FieldSpec &f : plugin->schema.fields) {
        if (!f.isReferenceLike() || !data.fields.contains(QString::fromStdString(f.name)))
            continue;
        const QJsonValue v = data.fields.value(QString::fromStdString(f.name));
        if (v.isArray()) {
            QJsonArray kept;
            for (const QJsonValue &item : v.toArray())
                if (shown(item))
                    kept.append(item);
            data.fields[QString::fromStdString(f.name)] = kept;
        } else if (!shown(v)) {
            data.fields.remove(QString::fromStdString(f.name));
        }
    }
    return data;
}

QList<Kb::RecordData> HostServices::records(const QString &type) const
{
    QList<Kb::RecordData> out;
    const std::string t = type.toStdString();
    for (const auto &r : session_.store().records())
        if (r.type() == t && visible(r))
            out.append(dataOf(r));
    return out;
}

bool HostServices::record(const QString &id, Kb::RecordData *out) const
{
    const Record *r = visibleRecord(id);
    if (!r)
        return false;
    *out = dataOf(*r);
    return true;
}

bool HostServices::updateRecord(const QString &id, const QJsonObject &set,
                                const QString &appendToBody, QString *error)
{
    const Record *r = visibleRecord(id);
    if (!r) {
        *error = QStringLiteral("no record with id '%1'").arg(id);
        return false;
    }
    std::vector<std::pair<std::string, std::string>> sets;
    const PluginInfo *plugin = session_.plugins().findRecordType(r->type());
    for (auto it = set.begin(); it != set.end(); ++it) {
        std::string value;
        const QJsonValue v = it.value();
        const FieldSpec *spec = plugin ? plugin->schema.find(it.key().toStdString()) : nullptr;
        if (v.isBool())
            value = v.toBool() ? "true" : "false";
        else if (v.isDouble())
            value = QString::number(v.toDouble()).toStdString();
        else if (v.isArray()) {
            std::vector<std::string> items;
            for (const auto &item : v.toArray())
                items.push_back(item.toString().toStdString());
            value = yamlFlowListFor(spec, items);
        } else if (!v.isNull())
            value = yamlScalarFor(spec, v.toString().toStdString());
        sets.emplace_back(it.key().toStdString(), value);
    }
    std::string newText, err;
    if (!editRecordText(r->text, sets, appendToBody.toStdString(), &newText, &err) ||
        !session_.writeRecord(r->path, newText, false, &r->text, &err)) {
        *error = QString::fromStdString(err);
        return false;
    }
    session_.reloadStore();
    return true;
}

QString HostServices::today() const
{
    return QString::fromStdString(session_.today());
}

QString HostServices::vocabularyLabel(const QString &vocabulary, const QString &id,
                                      const QString &lang) const
{
    const Term *t = session_.vocab().lookup(vocabulary.toStdString(), id.toStdString());
    if (!t)
        return id;
    const std::string &label = lang == QLatin1String("en") ? t->en : t->zh;
    return label.empty() ? id : QString::fromStdString(label);
}

QJsonObject HostServices::recordTypeSchema(const QString &type) const
{
    const PluginInfo *plugin = session_.plugins().findRecordType(type.toStdString());
    if (!plugin || type.isEmpty())
        return {};
    return typeSchemaJson(plugin->schema, plugin->id);
}

QString HostServices::userName() const
{
    return QString::fromStdString(session_.actor().name);
}

QStringList HostServices::vocabularyIds(const QString &vocabulary) const
{
    QStringList ids;
    if (const auto *terms = session_.vocab().get(vocabulary.toStdString()))
        for (const auto &t : *terms)
            ids << QString::fromStdString(t.id);
    return ids;
}

void HostServices::print(const QString &text)
{
    if (capturedOut_) {
        capturedOut_->append(text.toStdString());
        return;
    }
    // Verb output quotes record text (titles in a brief); a terminal must not obey it.
    const std::string bytes = text.toStdString();
    std::fputs(session_.stdoutIsTty ? displayBlock(bytes).c_str() : bytes.c_str(), stdout);
}

void HostServices::printError(const QString &text)
{
    if (capturedErr_) {
        capturedErr_->append(text.toStdString());
        return;
    }
    const std::string bytes = text.toStdString();
    std::fputs(displayBlock(bytes).c_str(), stderr);
}

bool HostServices::isTerminal() const
{
    return !capturedOut_ && session_.stdoutIsTty;
}

} // namespace kb
