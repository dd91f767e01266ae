#include "services/fieldspecjson.h"

#include "core/schema.h"
#include "services/qtstring.h"

#include <QJsonArray>
#include <QString>

namespace kb {

QJsonObject labelJson(const std::string &zh, const std::string &en)
{
    return QJsonObject{{"zh", q(zh)}, {"en", q(en.empty() ? zh : en)}};
}

QJsonObject fieldSpecJson(const FieldSpec &f)
{
    QJsonObject o{{"name", q(f.name)},
                  {"type", q(std::string(fieldTypeName(f.type)))},
                  {"required", f.required},
                  {"label", labelJson(f.labelZh.empty() ? f.name : f.labelZh,
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
            labels[q(value)] = labelJson(names.first, names.second);
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
    if (f.automatic)
        o["automatic"] = true; // kept by the host: never typed into a form
    if (f.filter)
        o["filter"] = true;
    if (f.facet)
        o["facet"] = true;
    return o;
}

QJsonObject typeSchemaJson(const TypeSchema &t, const std::string &pluginId)
{
    QJsonArray fields, sections;
    for (const FieldSpec &f : t.fields) {
        QJsonObject field = fieldSpecJson(f);
        // Changed on its board, not in a form (the form shows it read-only).
        for (const ViewSpec &v : t.views)
            if (v.kind == "board" && v.field == f.name)
                field["board"] = q(pluginId + "/" + v.name);
        fields.append(field);
    }
    for (const SectionSpec &sec : t.sections)
        sections.append(labelJson(sec.zh, sec.en));
    return QJsonObject{{"type", q(t.type)},
                       {"plugin", q(pluginId)},
                       {"label", labelJson(t.labelZh, t.labelEn)},
                       {"folder", q(t.folder)},
                       {"fields", fields},
                       {"sections", sections}};
}

} // namespace kb
