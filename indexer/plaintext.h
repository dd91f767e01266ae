#pragma once

#include <string>
#include <string_view>

namespace kb::search {

// The readable text of a Markdown body (via cmark): markup, link targets and raw HTML
// dropped, one line per block, so snippets read as prose.
std::string markdownToPlainText(std::string_view markdown);

} // namespace kb::search
