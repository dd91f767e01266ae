#pragma once

#include "core/schema.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

// Where the YAML front matter sits in a file's bytes. The file itself is never
// normalised: edits splice into the original text so untouched bytes stay as written.
struct FrontMatterSpan {
    bool present = false;
    bool bom = false;          // file starts with a UTF-8 byte order mark
    bool crlf = false;         // the opening delimiter ends with CRLF
    std::size_t yamlBegin = 0; // first byte of the YAML text
    std::size_t yamlEnd = 0;   // one past its last byte (start of the closing line)
    std::size_t closeEnd = 0;  // one past the closing delimiter line; the body starts here
    int yamlFirstLine = 0;     // 1-based line of the first YAML line
};

// Finds the front matter. Returns an error message (and sets *errorLine) when a block
// is opened with `---` but never closed; an empty string otherwise.
std::string findFrontMatter(std::string_view text, FrontMatterSpan &span, int *errorLine);

// The YAML text of the span with each CRLF turned into LF, ready for the parser, and the
// way back from its offsets to the file's.
struct FrontMatterYaml {
    std::string yaml;
    std::vector<std::size_t> joinedBreaks; // offsets in `yaml` of each LF that had a CR
    std::size_t base = 0;                  // the file offset of yaml[0]

    std::size_t toFileOffset(std::size_t yamlOffset) const;
};
FrontMatterYaml frontMatterYaml(std::string_view text, const FrontMatterSpan &span);

// A YAML value for a top-level key: a scalar or a flow list, quoted only where needed.
std::string yamlScalar(std::string_view value);
std::string yamlFlowList(const std::vector<std::string> &items);
// The same for a key of a known field: a text-like field (string, text, person, reference,
// enum, or a list of them) also quotes what another YAML reader would take for a bool, a
// number or a date ("yes", "off", "1.0", "2024-01-01", "1:20"), so every reader gets the
// text that was given; bool, number and date fields, and unknown keys (null), stay plain.
std::string yamlScalarFor(const FieldSpec *spec, std::string_view value);
std::string yamlFlowListFor(const FieldSpec *spec, const std::vector<std::string> &items);

// Appends Markdown to the end of the file, separated by one blank line.
std::string appendToBody(std::string_view text, std::string_view markdown, bool crlf);

} // namespace kb
