#include "services/readerscope.h"

#include "core/finding.h"
#include "core/pluginhost.h"
#include "core/record.h"
#include "core/store.h"
#include "indexer/searcher.h"
#include "services/readclearance.h"
#include "services/session.h"

#include <algorithm>
#include <unordered_set>

namespace kb {

namespace {
// Appended to a restricted record's id in an uncleared reader's query; no id has it.
constexpr std::string_view kDisguise = "-zz9hidden";
} // namespace

ReaderScope::ReaderScope(Session &session, const ReadClearance &clearance, ReadLevel level)
    : session_(session), clearance_(clearance), level_(level)
{
}

bool ReaderScope::hides(const Record &r) const
{
    return !clearance_.readableAt(r, level_);
}

bool ReaderScope::hidesId(const std::string &id) const
{
    if (cleared())
        return false;
    const Record *r = session_.store().byId(id);
    return r && hides(*r);
}

const Record *ReaderScope::byId(const std::string &id) const
{
    const Record *r = session_.store().byId(id);
    return r && !hides(*r) ? r : nullptr;
}

std::vector<const Record *> ReaderScope::records(std::string_view type) const
{
    std::vector<const Record *> out;
    for (const Record &r : session_.store().records())
        if ((type.empty() || r.type() == type) && !hides(r))
            out.push_back(&r);
    return out;
}

std::function<bool(const Record &)> ReaderScope::visibility() const
{
    if (cleared())
        return nullptr;
    const ReadClearance *clearance = &clearance_;
    const ReadLevel level = level_;
    return [clearance, level](const Record &r) { return clearance->readableAt(r, level); };
}

std::vector<std::string> ReaderScope::visibleReferences(const FieldSpec &field,
                                                        const std::vector<std::string> &ids) const
{
    if (cleared() || !field.isReferenceLike())
        return ids;
    std::vector<std::string> kept;
    for (const std::string &id : ids)
        if (!hidesId(id))
            kept.push_back(id);
    return kept;
}

std::vector<ReaderScope::Backlink> ReaderScope::backlinks(const Record &r) const
{
    std::vector<Backlink> out;
    const std::string id = Store::effectiveId(r);
    for (const Record &other : session_.store().records()) {
        if (&other == &r || hides(other))
            continue;
        const PluginInfo *plugin = session_.plugins().findRecordType(other.type());
        if (!plugin)
            continue;
        for (const FieldSpec &f : plugin->schema.fields) {
            const FieldValue *v = f.isReferenceLike() ? other.field(f.name) : nullptr;
            if (!v)
                continue;
            const auto items = v->asList();
            if (std::find(items.begin(), items.end(), id) != items.end()) {
                out.push_back({&other, f.name});
                break;
            }
        }
    }
    return out;
}

void ReaderScope::limit(search::SearchOptions &options) const
{
    options.excludeTerms = clearance_.hiddenTerms(level_);
    options.requireTerms = clearance_.requiredTerms(level_);
}

void ReaderScope::hideReferences(search::SearchResult &result) const
{
    if (cleared())
        return;
    for (search::SearchHit &h : result.hits) {
        const PluginInfo *plugin = session_.plugins().findRecordType(h.type);
        if (!plugin)
            continue;
        for (auto &[name, value] : h.fields) {
            const FieldSpec *f = plugin->schema.find(name);
            if (!f || !f->isReferenceLike())
                continue;
            // Lists come joined with ", " in a hit.
            std::string kept;
            std::size_t start = 0;
            while (start <= value.size()) {
                std::size_t end = value.find(", ", start);
                if (end == std::string::npos)
                    end = value.size();
                const std::string item = value.substr(start, end - start);
                if (!item.empty() && !hidesId(item))
                    kept += (kept.empty() ? "" : ", ") + item;
                start = end + 2;
            }
            value = kept;
        }
    }
}

std::vector<Finding> ReaderScope::findings(std::vector<Finding> all) const
{
    if (cleared())
        return all;
    std::unordered_set<std::string> hiddenPaths;
    for (const Record &r : session_.store().records())
        if (hides(r))
            hiddenPaths.insert(r.path);
    std::erase_if(all, [&](const Finding &f) { return hiddenPaths.count(f.path) > 0; });
    return all;
}

std::vector<std::string> ReaderScope::hiddenIds() const
{
    std::vector<std::string> ids;
    for (const Record &r : session_.store().records())
        if (hides(r))
            ids.push_back(Store::effectiveId(r));
    return ids;
}

std::string ReaderScope::disguiseIds(std::string query, const std::vector<std::string> &ids)
{
    for (const std::string &id : ids)
        for (std::size_t at = query.find(id); at != std::string::npos;
             at = query.find(id, at + id.size() + 1))
            query.replace(at, id.size(), id + std::string(kDisguise));
    return query;
}

void ReaderScope::undisguise(std::string &text)
{
    for (std::size_t at = text.find(kDisguise); at != std::string::npos;
         at = text.find(kDisguise, at))
        text.erase(at, kDisguise.size());
}

} // namespace kb
