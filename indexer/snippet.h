#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

// Snippet markers: each match in a snippet is wrapped in these (U+27E6, U+27E7), part of
// the `kb search --json` contract. They never occur in record text (replaced on output).
inline constexpr const char *kMarkOpen = "\u27E6";
inline constexpr const char *kMarkClose = "\u27E7";

// The best window of `text` (about `maxChars` characters) for the query's words: the one
// covering the most distinct matches, matches marked. Matching uses the same folding as
// the index, so a traditional-Chinese record is highlighted for a simplified query and
// "payments" for "payment". With no match, the start of the text.
std::string makeSnippet(std::string_view text, const std::vector<std::string> &highlight,
                        std::size_t maxChars = 160);

} // namespace kb::search
