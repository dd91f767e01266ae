#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb {

// Applies `key -> serialised YAML value` changes to a record's text and appends Markdown
// to its body, touching nothing else: each value's byte span comes from the YAML parser,
// only that span is replaced, and a new key goes on a line of its own after the last
// entry. Before returning, the result is proven (see proveRecordEdit); on any failure
// (no front matter, a value kb cannot rewrite safely, a proof that fails) it returns false
// with a one-line reason and `out` untouched.
bool editRecordText(const std::string &text,
                    const std::vector<std::pair<std::string, std::string>> &sets,
                    const std::string &append, std::string *out, std::string *error);

} // namespace kb
