#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/fieldvalue.h"
#include "core/frontmatter.h"

namespace kb {

// One top-level `key: value` entry of a front matter, with the byte spans of its key and
// value in the YAML text it was read from, as libyaml's event stream marks them.
struct YamlEntry {
    std::string key;
    int line = 0;               // 1-based line of the key in the file
    std::size_t keyBegin = 0;   // first byte of the key (a quote, for a quoted key)
    std::size_t keyEnd = 0;     // one past its last byte
    std::size_t valueBegin = 0; // first byte of the value's first token, or keyEnd if none
    std::size_t valueEnd = 0;   // one past the value's last content byte (>= keyEnd)
    FieldValue value;
    // The value as libyaml reports it (node kinds, tags, plain or quoted, text), so two
    // values compare equal exactly when a reader sees the same data.
    std::string canonical;
    // Why a splice into this value is unsafe (an anchor, alias or tag in it), or empty.
    std::string unsafe;
};

// The top-level mapping of a front matter.
struct YamlMap {
    std::vector<YamlEntry> entries;
    bool isMapping = false;    // false for an empty document (only comments, or nothing)
    bool flow = false;         // written `{a: 1, b: 2}`: entries cannot be spliced
    bool explicitKeys = false; // some key written `? key`
    std::size_t keyColumn = 0; // column of the first key, in bytes

    const YamlEntry *find(std::string_view key) const;
};

struct YamlProblem {
    int line = 0; // 1-based line in the file
    std::string message;
};

// Reads front matter YAML (LF line breaks) in time and memory linear in its size:
// event-driven, so aliases are never expanded and nesting costs no stack. Fails on a
// syntax error, a document that is not a mapping, a key that is not a scalar, a
// duplicate key, more than one document, or nesting deeper than 64 levels.
// `firstLine` is the file line of the YAML text's first line, for messages.
std::optional<YamlProblem> readYamlMap(std::string_view yaml, int firstLine, YamlMap *out);

// A record's front matter, found and read: where it is, its YAML, its mapping.
struct FrontMatterMap {
    FrontMatterSpan span;
    FrontMatterYaml yaml;
    YamlMap map;
};
// Empty on success; else why the text has no readable front matter, with its line.
std::string readFrontMatterMap(std::string_view text, FrontMatterMap *out);

} // namespace kb
