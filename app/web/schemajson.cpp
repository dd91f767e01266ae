#include "web/schemajson.h"

#include "web/chinesemessages.h"

#include "core/finding.h"
#include "core/pluginhost.h"
#include "core/schema.h"
#include "core/vocabulary.h"
#include "indexer/indexschema.h"
#include "services/fieldspecjson.h"
#include "services/qtstring.h"
#include "services/session.h"

namespace kb::web {

QJsonArray findingsJson(const std::vector<Finding> &findings)
{
    QJsonArray out;
    for (const Finding &f : findings) {
        QJsonObject o{{"path", q(f.path)},       {"line", f.line},       {"field", q(f.field)},
                      {"message", q(f.message)}, {"warning", f.warning}, {"text", q(f.toString())}};
        if (const std::string zh = chineseFor(f.toString()); !zh.empty())
            o["text_zh"] = q(zh);
        out.append(o);
    }
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
                                          {"label", labelJson(vp.labelZh, vp.labelEn)}});
            views.append(QJsonObject{{"plugin", q(p.id)},
                                     {"name", q(v.name)},
                                     {"kind", q(v.kind)},
                                     {"label", labelJson(v.labelZh.empty() ? v.name : v.labelZh,
                                                         v.labelEn.empty() ? v.name : v.labelEn)},
                                     {"params", params},
                                     {"done", [&] {
                                          QJsonArray done;
                                          for (const std::string &d : v.done)
                                              done.append(q(d));
                                          return done;
                                      }()}});
        }
        if (!t.hasRecords)
            continue;
        types.append(typeSchemaJson(t, p.id));
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
            facets[q(name)] = labelJson("类型", "Type");
        else if (name == "year")
            facets[q(name)] = labelJson("年份", "Year");
        else if (f)
            facets[q(name)] = labelJson(f->spec.labelZh.empty() ? name : f->spec.labelZh,
                                        f->spec.labelEn.empty() ? name : f->spec.labelEn);
    }
    QJsonArray sorts;
    for (const search::IndexedField &f : session.indexSchema().fields())
        if (f.slot != search::kNoSlot && f.name != "date")
            sorts.append(QJsonObject{
                {"name", q(f.name)},
                {"label", labelJson(f.spec.labelZh.empty() ? f.name : f.spec.labelZh,
                                    f.spec.labelEn.empty() ? f.name : f.spec.labelEn)}});
    return QJsonObject{{"types", types}, {"common_fields", common}, {"vocabularies", vocabularies},
                       {"views", views}, {"facets", facets},        {"sorts", sorts}};
}

} // namespace kb::web
