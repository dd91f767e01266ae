#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb {

// Applies `key -> serialised YAML value` changes to a record's text and appends Markdown
// to its body, touching nothing else. Fails if the text has no front matter.
bool editRecordText(const std::string &text,
                    const std::vector<std::pair<std::string, std::string>> &sets,
                    const std::string &append, std::string *out, std::string *error);

} // namespace kb
