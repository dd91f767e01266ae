#pragma once

#include <set>
#include <string>
#include <string_view>

namespace kb::search {

// The readable text of a Markdown body (via cmark): markup, link targets and raw HTML
// dropped, one line per block, so snippets read as prose. Headings whose folded text is
// in `skipHeadings` (the record type's template sections, present in every record of
// the type) are left out: they would make every record match "背景" or "Root cause".
std::string markdownToPlainText(std::string_view markdown,
                                const std::set<std::string, std::less<>> &skipHeadings = {});

} // namespace kb::search
