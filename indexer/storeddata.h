#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kb::search {

// What a search result shows, stored in the document data so a search opens no record
// file: id, path, type, title, date, key field values and the plain text for snippets.
// Packed as length-prefixed key/value strings (cheap to decode, no JSON parser needed).
struct StoredData {
    std::vector<std::pair<std::string, std::string>> entries;

    void set(std::string key, std::string value);
    std::string get(std::string_view key) const;
    std::string pack() const;
    static StoredData unpack(std::string_view data);
};

} // namespace kb::search
