#include "recordedit.h"

#include "frontmatter.h"

namespace kb {

bool editRecordText(const std::string &text,
                    const std::vector<std::pair<std::string, std::string>> &sets,
                    const std::string &append, std::string *out, std::string *error)
{
    std::string current = text;
    FrontMatterSpan span;
    int line = 0;
    for (const auto &[key, value] : sets) {
        std::string err = findFrontMatter(current, span, &line);
        if (!err.empty() || !span.present) {
            *error = err.empty() ? "the file has no front matter to edit" : err;
            return false;
        }
        current = setFrontMatterKey(current, span, key, value);
    }
    if (!append.empty()) {
        findFrontMatter(current, span, &line);
        current = appendToBody(current, append, span.crlf);
    }
    *out = std::move(current);
    return true;
}

} // namespace kb
