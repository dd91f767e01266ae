#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/fieldvalue.h"
#include "core/finding.h"
#include "core/frontmatter.h"

namespace kb {

struct Record {
    std::string path; // relative to the root, '/'-separated
    std::string text; // the file's bytes as read
    FrontMatterSpan span;
    std::vector<std::pair<std::string, FieldValue>> fields; // in file order
    std::string body;                                       // Markdown after the front matter
    bool plainNote = false;                                 // no front matter: indexed as a note

    const FieldValue *field(std::string_view key) const;
    std::string value(std::string_view key) const; // scalar text or ""
    std::string id() const { return value("id"); }
    std::string type() const { return value("type"); }
    std::string title() const;
    int lineOf(std::string_view key) const; // line of a key, else of the front matter start
};

struct ParseResult {
    std::optional<Record> record;
    std::vector<Finding> findings; // errors that stopped parsing, or none
};

// Parses a file's bytes. Never throws: broken YAML, missing closing delimiter, invalid
// UTF-8 and binary content come back as findings with the line where known.
ParseResult parseRecord(std::string relPath, std::string text);

// Derives a record id for a plain note from its path ("notes/a b.md" -> "notes-a-b").
std::string noteIdFromPath(std::string_view relPath);

} // namespace kb
