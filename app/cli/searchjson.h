#pragma once

#include <QJsonObject>

namespace kb {
class Session;
namespace search {
struct SearchResult;
struct SearchOptions;
} // namespace search

// A search result as the kb.search/2 JSON contract (README): `kb search --json` and the
// web API answer with the same object.
QJsonObject searchResultJson(Session &s, const search::SearchResult &r,
                             const search::SearchOptions &o);

} // namespace kb
