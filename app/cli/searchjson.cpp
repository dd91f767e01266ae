#include "searchjson.h"

#include "indexschema.h"
#include "searcher.h"
#include "session.h"
#include "vocabulary.h"

#include <QJsonArray>

namespace kb {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// "zh / en" label of a facet value, when a vocabulary or the type schemas name it.
std::pair<std::string, std::string> facetLabel(Session &s, const std::string &facet,
                                               const std::string &value)
{
    const search::IndexSchema &schema = s.indexSchema();
    if (facet == "type") {
        if (const TypeSchema *t = schema.type(value))
            return {t->labelZh, t->labelEn};
        return {};
    }
    const search::IndexedField *f = schema.field(facet);
    if (!f)
        return {};
    if (!f->spec.vocabulary.empty())
        if (const Term *t = s.vocab().lookup(f->spec.vocabulary, value))
            return {t->zh, t->en};
    // An enum value a schema names ("proposed" -> 已提出), from every type with the field.
    if (auto named = f->spec.valueLabels.find(value); named != f->spec.valueLabels.end())
        return named->second;
    return {};
}

} // namespace

QJsonObject searchResultJson(Session &s, const search::SearchResult &r,
                             const search::SearchOptions &o)
{
    QJsonArray hits;
    for (const search::SearchHit &h : r.hits) {
        QJsonObject fields;
        for (const auto &[k, v] : h.fields)
            fields[q(k)] = q(v);
        hits.append(QJsonObject{{"rank", h.rank},
                                {"id", q(h.id)},
                                {"path", q(h.path)},
                                {"type", q(h.type)},
                                {"title", q(h.title)},
                                {"date", q(h.date)},
                                {"score", h.score},
                                {"snippet", q(h.snippet)},
                                {"fields", fields}});
    }
    QJsonObject facets;
    for (const auto &[name, values] : r.facets) {
        QJsonArray list;
        for (const search::FacetCount &c : values) {
            QJsonObject item{{"value", q(c.value)}, {"count", qint64(c.count)}};
            const auto [zh, en] = facetLabel(s, name, c.value);
            if (!zh.empty() || !en.empty())
                item["label"] = QJsonObject{{"zh", q(zh)}, {"en", q(en)}};
            list.append(item);
        }
        facets[q(name)] = list;
    }
    QJsonArray notes;
    for (const std::string &n : r.notes)
        notes.append(q(n));
    return QJsonObject{{"query", q(r.query)},
                       {"total", qint64(r.total)},
                       {"offset", o.offset},
                       {"limit", o.limit},
                       {"relaxed", r.relaxed},
                       {"hits", hits},
                       {"exact_total", qint64(r.exactTotal)},
                       {"total_estimated", r.totalEstimated},
                       {"facets_estimated", r.facetsSampled},
                       {"facets", facets},
                       {"notes", notes},
                       {"contract", "kb.search/2"}};
}

} // namespace kb
