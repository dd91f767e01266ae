#include "web/markdownhtml.h"

#include <cmark.h>

#include <cstdlib>

namespace kb::web {

std::string markdownToSafeHtml(std::string_view markdown)
{
    // CMARK_OPT_UNSAFE is never passed: cmark >= 0.29 is safe by default. CMARK_OPT_SAFE
    // is kept for older builds, where it had to be asked for.
    char *html = cmark_markdown_to_html(markdown.data(), markdown.size(),
                                        CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART);
    std::string out = html ? html : "";
    std::free(html);
    return out;
}

} // namespace kb::web
