#include "services/searchjson.h"

#include "core/vocabulary.h"
#include "indexer/indexschema.h"
#include "indexer/searcher.h"
#include "services/session.h"

#include "services/jsonwriter.h"

namespace kb {

namespace {

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

std::string searchResultJson(Session &s, const search::SearchResult &r,
                             const search::SearchOptions &o)
{
    JsonWriter w;
    w.beginObject()
        .field("contract", "kb.search/2")
        .field("query", r.query)
        .field("total", r.total)
        .field("exact_total", r.exactTotal)
        .field("relaxed", r.relaxed)
        .field("suggestion", r.suggestion)
        .field("total_estimated", r.totalEstimated)
        .field("facets_estimated", r.facetsSampled)
        .field("offset", o.offset)
        .field("limit", o.limit);
    w.key("hits").beginArray();
    for (const search::SearchHit &h : r.hits) {
        w.beginObject()
            .field("rank", h.rank)
            .field("id", h.id)
            .field("path", h.path)
            .field("type", h.type)
            .field("title", h.title)
            .field("date", h.date)
            .field("score", h.score)
            .field("snippet", h.snippet);
        w.key("fields").beginObject();
        for (const auto &[k, v] : h.fields)
            w.field(k, v);
        w.endObject().endObject();
    }
    w.endArray();
    w.key("facets").beginObject();
    for (const auto &[name, values] : r.facets) {
        w.key(name).beginArray();
        for (const search::FacetCount &c : values) {
            w.beginObject().field("value", c.value).field("count", c.count);
            const auto [zh, en] = facetLabel(s, name, c.value);
            if (!zh.empty() || !en.empty())
                w.key("label").beginObject().field("zh", zh).field("en", en).endObject();
            w.endObject();
        }
        w.endArray();
    }
    w.endObject();
    w.key("notes").beginArray();
    for (const std::string &n : r.notes)
        w.value(n);
    w.endArray();
    w.key("synonyms").beginArray();
    for (const std::vector<std::string> &forms : r.synonyms) {
        w.beginArray();
        for (const std::string &f : forms)
            w.value(f);
        w.endArray();
    }
    w.endArray().endObject();
    return w.text();
}

} // namespace kb
