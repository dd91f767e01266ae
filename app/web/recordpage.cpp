#include "web/recordpage.h"

#include "core/pluginhost.h"
#include "core/recordbridge.h"
#include "core/store.h"
#include "core/vocabulary.h"
#include "services/fieldspecjson.h"
#include "services/qtstring.h"
#include "services/readerscope.h"
#include "services/session.h"
#include "web/markdownhtml.h"
#include "web/schemajson.h"

#include <kb/recordtype.h>

#include <QCryptographicHash>
#include <QJsonArray>

namespace kb::web {

namespace {

// A reference field's value without the ids the reader may not see.
QJsonValue visibleValue(const ReaderScope &reader, const FieldSpec &f, const QJsonValue &v)
{
    if (reader.cleared() || !f.isReferenceLike())
        return v;
    if (v.isString())
        return reader.hidesId(v.toString().toStdString()) ? QJsonValue() : v;
    if (!v.isArray())
        return v;
    QJsonArray kept;
    for (const QJsonValue &item : v.toArray())
        if (!reader.hidesId(item.toString().toStdString()))
            kept.append(item);
    return kept;
}

} // namespace

std::string recordVersion(const std::string &text)
{
    return QCryptographicHash::hash(QByteArray::fromStdString(text), QCryptographicHash::Sha256)
        .toHex()
        .left(16)
        .toStdString();
}

QJsonObject recordPageJson(Session &session, const ReaderScope &reader, const Record &record)
{
    const Record *r = &record;
    const PluginInfo *plugin = session.plugins().findRecordType(r->type());
    const TypeSchema *schema = plugin ? &plugin->schema : nullptr;
    const Kb::RecordData data = toRecordData(*r, Store::effectiveId(*r), schema);

    // Fields in schema order (common keys first), each with labels for its values.
    QJsonArray fields, links;
    auto describe = [&](const FieldSpec &f) {
        const FieldValue *v = r->field(f.name);
        if (!v || v->isNull())
            return;
        QJsonArray shown;
        for (const std::string &item : v->asList()) {
            QJsonObject o{{"value", q(item)}};
            if (!f.vocabulary.empty())
                if (const Term *t = session.vocab().lookup(f.vocabulary, item)) {
                    o["label"] = labelJson(t->zh, t->en);
                    o["term"] = q(t->id); // what a form selects for a label or alias
                }
            if (auto named = f.valueLabels.find(item); named != f.valueLabels.end())
                o["label"] = labelJson(named->second.first, named->second.second);
            if (f.name == "type" && schema)
                o["label"] = labelJson(schema->labelZh, schema->labelEn);
            if (f.isReferenceLike()) {
                if (reader.hidesId(item))
                    continue; // not even its id
                const Record *target = session.store().byId(item);
                if (target) {
                    o["title"] = q(target->title());
                    o["link"] = q(Store::effectiveId(*target));
                    links.append(QJsonObject{{"id", q(Store::effectiveId(*target))},
                                             {"title", q(target->title())},
                                             {"type", q(target->type())},
                                             {"field", q(f.name)}});
                }
            }
            shown.append(o);
        }
        fields.append(QJsonObject{{"name", q(f.name)},
                                  {"label", labelJson(f.labelZh.empty() ? f.name : f.labelZh,
                                                      f.labelEn.empty() ? f.name : f.labelEn)},
                                  {"type", q(std::string(fieldTypeName(f.type)))},
                                  {"value", visibleValue(reader, f, data.fields.value(q(f.name)))},
                                  {"items", shown}});
    };
    for (const FieldSpec &f : commonFields())
        if (f.name != "id" && f.name != "title")
            describe(f);
    if (schema)
        for (const FieldSpec &f : schema->fields)
            describe(f);

    // Backlinks: records whose reference fields name this one.
    QJsonArray backlinks;
    const std::string myId = Store::effectiveId(*r);
    for (const ReaderScope::Backlink &b : reader.backlinks(*r))
        backlinks.append(QJsonObject{{"id", q(Store::effectiveId(*b.from))},
                                     {"title", q(b.from->title())},
                                     {"type", q(b.from->type())},
                                     {"field", q(b.field)}});
    QJsonObject values = data.fields;
    if (schema)
        for (const FieldSpec &f : schema->fields)
            if (values.contains(q(f.name)))
                values[q(f.name)] = visibleValue(reader, f, values.value(q(f.name)));
    QJsonObject out{{"id", q(myId)},
                    {"path", q(r->path)},
                    {"type", q(r->type())},
                    {"title", q(r->title())},
                    {"date", q(r->value("date"))},
                    {"version", q(recordVersion(r->text))},
                    {"fields", fields},
                    {"values", values},
                    {"body", q(r->body)},
                    {"body_html", q(markdownToSafeHtml(r->body))},
                    {"links", links},
                    {"backlinks", backlinks},
                    {"findings", findingsJson(session.checkRecord(*r))},
                    {"editable", !r->plainNote && r->span.present}};
    if (schema)
        out["type_label"] = labelJson(schema->labelZh, schema->labelEn);
    return out;
}

} // namespace kb::web
