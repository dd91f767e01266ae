#include "web/schemajson.h"

#include "core/finding.h"
#include "core/pluginhost.h"
#include "core/schema.h"
#include "core/vocabulary.h"
#include "indexer/indexschema.h"
#include "services/session.h"
#include "web/qtstring.h"

namespace kb::web {

QJsonObject label(const std::string &zh, const std::string &en)
{
    return QJsonObject{{"zh", q(zh)}, {"en", q(en.empty() ? zh : en)}};
}

QJsonObject fieldSpecJson(const FieldSpec &f)
{
    QJsonObject o{{"name", q(f.name)},
                  {"type", q(std::string(fieldTypeName(f.type)))},
                  {"required", f.required},
                  {"label", label(f.labelZh.empty() ? f.name : f.labelZh,
                                  f.labelEn.empty() ? f.name : f.labelEn)}};
    if (f.type == FieldType::List)
        o["of"] = q(std::string(fieldTypeName(f.itemType)));
    if (!f.defaultValue.empty())
        o["default"] = q(f.defaultValue);
    if (!f.values.empty()) {
        QJsonArray values;
        for (const auto &v : f.values)
            values.append(q(v));
        o["values"] = values;
    }
    if (!f.valueLabels.empty()) {
        QJsonObject labels;
        for (const auto &[value, names] : f.valueLabels)
            labels[q(value)] = label(names.first, names.second);
        o["value_labels"] = labels;
    }
    if (!f.vocabulary.empty())
        o["vocabulary"] = q(f.vocabulary);
    if (!f.closed.empty()) {
        QJsonArray closed;
        for (const auto &v : f.closed)
            closed.append(q(v));
        o["closed"] = closed;
    }
    if (!f.help.empty())
        o["help"] = q(f.help);
    if (f.filter)
        o["filter"] = true;
    if (f.facet)
        o["facet"] = true;
    return o;
}

QJsonArray findingsJson(const std::vector<Finding> &findings)
{
    QJsonArray out;
    for (const Finding &f : findings)
        out.append(QJsonObject{{"path", q(f.path)},
                               {"line", f.line},
                               {"field", q(f.field)},
                               {"message", q(f.message)},
                               {"warning", f.warning},
                               {"text", q(f.toString())}});
    return out;
}

QJsonObject schemaJson(Session &session)
{
    QJsonArray types, views;
    for (const PluginInfo &p : session.plugins().plugins()) {
        if (p.state != PluginState::Loaded)
            continue;
        const TypeSchema &t = p.schema;
        for (const ViewSpec &v : t.views) {
            QJsonArray params;
            for (const ViewParam &vp : v.params)
                params.append(QJsonObject{{"name", q(vp.vocabulary)},
                                          {"vocabulary", q(vp.vocabulary)},
                                          {"label", label(vp.labelZh, vp.labelEn)}});
            views.append(QJsonObject{{"plugin", q(p.id)},
                                     {"name", q(v.name)},
                                     {"kind", q(v.kind)},
                                     {"label", label(v.labelZh.empty() ? v.name : v.labelZh,
                                                     v.labelEn.empty() ? v.name : v.labelEn)},
                                     {"params", params}});
        }
        if (!t.hasRecords)
            continue;
        QJsonArray fields, sections;
        for (const FieldSpec &f : t.fields)
            fields.append(fieldSpecJson(f));
        for (const SectionSpec &sec : t.sections)
            sections.append(label(sec.zh, sec.en));
        types.append(QJsonObject{{"type", q(t.type)},
                                 {"plugin", q(p.id)},
                                 {"label", label(t.labelZh, t.labelEn)},
                                 {"folder", q(t.folder)},
                                 {"fields", fields},
                                 {"sections", sections}});
    }
    QJsonArray common;
    for (const FieldSpec &f : commonFields())
        common.append(fieldSpecJson(f));
    QJsonObject vocabularies;
    for (const std::string &name : session.vocab().names()) {
        QJsonArray terms;
        for (const Term &t : *session.vocab().get(name)) {
            QJsonArray aliases;
            for (const auto &al : t.aliases)
                aliases.append(q(al));
            terms.append(QJsonObject{
                {"id", q(t.id)}, {"zh", q(t.zh)}, {"en", q(t.en)}, {"aliases", aliases}});
        }
        vocabularies[q(name)] = terms;
    }
    QJsonObject facets;
    for (const std::string &name : session.indexSchema().facetNames()) {
        const search::IndexedField *f = session.indexSchema().field(name);
        if (name == "type")
            facets[q(name)] = label("类型", "Type");
        else if (name == "year")
            facets[q(name)] = label("年份", "Year");
        else if (f)
            facets[q(name)] = label(f->spec.labelZh.empty() ? name : f->spec.labelZh,
                                    f->spec.labelEn.empty() ? name : f->spec.labelEn);
    }
    QJsonArray sorts;
    for (const search::IndexedField &f : session.indexSchema().fields())
        if (f.slot != search::kNoSlot && f.name != "date")
            sorts.append(
                QJsonObject{{"name", q(f.name)},
                            {"label", label(f.spec.labelZh.empty() ? f.name : f.spec.labelZh,
                                            f.spec.labelEn.empty() ? f.name : f.spec.labelEn)}});
    return QJsonObject{{"types", types}, {"common_fields", common}, {"vocabularies", vocabularies},
                       {"views", views}, {"facets", facets},        {"sorts", sorts}};
}

} // namespace kb::web
