#include "core/editproof.h"

#include "core/record.h"
#include "core/yamlmap.h"

#include <unordered_map>

namespace kb {
namespace {

// The canonical form a serialised value has when written after a key.
std::string canonicalOf(const std::string &yamlValue)
{
    YamlMap map;
    const std::string doc = "k:" + (yamlValue.empty() ? "" : " " + yamlValue) + "\n";
    if (readYamlMap(doc, 1, &map) || map.entries.size() != 1)
        return "\x01unreadable";
    return map.entries.front().canonical;
}

} // namespace

std::string proveRecordEdit(const std::string &before, const std::string &after,
                            const std::vector<std::pair<std::string, std::string>> &sets,
                            bool appended)
{
    ParseResult parsed = parseRecord("", after);
    if (!parsed.record)
        return "the edit would leave the record unreadable (" +
               (parsed.findings.empty() ? std::string("unknown reason")
                                        : parsed.findings.front().message) +
               ")";
    FrontMatterSpan plain;
    int line = 0;
    if (findFrontMatter(before, plain, &line).empty() && !plain.present) {
        // A note without front matter can only grow at its end, and stay a note.
        if (!sets.empty())
            return "the file has no front matter to set keys in";
        if (!parsed.record->plainNote)
            return "the appended text would turn the note into front matter";
        return appended && after.compare(0, before.size(), before) == 0
                   ? std::string()
                   : "the edit would change the note's text";
    }
    FrontMatterMap old, now;
    if (std::string err = readFrontMatterMap(before, &old); !err.empty())
        return "the record cannot be read before the edit (" + err + ")";
    if (std::string err = readFrontMatterMap(after, &now); !err.empty())
        return "the edit would leave the record unreadable (" + err + ")";
    if (before.compare(0, old.span.yamlBegin, after, 0, now.span.yamlBegin) != 0)
        return "the edit would change the bytes before the front matter";

    std::unordered_map<std::string, std::string> expected; // the last set of a key wins
    for (const auto &[key, value] : sets)
        expected[key] = value;
    std::unordered_map<std::string, const YamlEntry *> newEntries;
    for (const YamlEntry &e : now.map.entries)
        newEntries.emplace(e.key, &e);
    for (const YamlEntry &e : old.map.entries) {
        if (expected.count(e.key))
            continue;
        auto it = newEntries.find(e.key);
        if (it == newEntries.end())
            return "the edit would drop the key '" + e.key + "'";
        if (it->second->canonical != e.canonical)
            return "the edit would change the value of '" + e.key + "'";
    }
    for (const YamlEntry &e : now.map.entries)
        if (!expected.count(e.key) && !old.map.find(e.key))
            return "the edit would add a key '" + e.key + "'";
    for (const auto &[key, value] : expected) {
        auto it = newEntries.find(key);
        if (it == newEntries.end())
            return "the edit would not write the key '" + key + "'";
        if (it->second->canonical != canonicalOf(value))
            return "the new value of '" + key + "' would not read back as written";
    }

    const std::string_view oldBody = std::string_view(before).substr(old.span.closeEnd);
    const std::string_view newBody = std::string_view(after).substr(now.span.closeEnd);
    if (appended ? newBody.substr(0, oldBody.size()) != oldBody : newBody != oldBody)
        return "the edit would change the body";
    return {};
}

} // namespace kb
