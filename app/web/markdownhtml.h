#pragma once

#include <string>
#include <string_view>

namespace kb::web {

// Markdown to HTML through cmark in its safe mode: raw HTML is dropped and javascript:,
// vbscript:, file: and data: (non-image) links are blanked, so record text can never
// run script in a reader's browser.
std::string markdownToSafeHtml(std::string_view markdown);

} // namespace kb::web
