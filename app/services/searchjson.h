#pragma once

#include <string>

namespace kb {
class Session;
namespace search {
struct SearchResult;
struct SearchOptions;
} // namespace search

// A search result as the kb.search/2 JSON contract (README), compact: `kb search --json`
// and the web API answer with the same document.
std::string searchResultJson(Session &s, const search::SearchResult &r,
                             const search::SearchOptions &o);

} // namespace kb
