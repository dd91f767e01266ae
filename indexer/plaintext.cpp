#include "indexer/plaintext.h"

#include "indexer/textanalysis.h"

#include <cmark.h>

namespace kb::search {

namespace {

std::string trimmed(std::string s)
{
    const auto notSpace = [](unsigned char c) { return c != ' ' && c != '\n' && c != '\t'; };
    while (!s.empty() && !notSpace(s.back()))
        s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && !notSpace(s[start]))
        ++start;
    return s.substr(start);
}

} // namespace

std::string markdownToPlainText(std::string_view markdown,
                                const std::set<std::string, std::less<>> &skipHeadings)
{
    std::size_t headingStart = 0;
    cmark_node *root = cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT);
    std::string out;
    out.reserve(markdown.size());
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        const cmark_node_type type = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_HEADING)
            headingStart = out.size();
        if (ev == CMARK_EVENT_EXIT && type == CMARK_NODE_HEADING && !skipHeadings.empty() &&
            skipHeadings.count(trimmed(foldText(out.substr(headingStart))))) {
            out.resize(headingStart);
            continue;
        }
        if (ev == CMARK_EVENT_ENTER) {
            switch (type) {
            case CMARK_NODE_TEXT:
            case CMARK_NODE_CODE:
            case CMARK_NODE_CODE_BLOCK:
                if (const char *lit = cmark_node_get_literal(node))
                    out += lit;
                break;
            case CMARK_NODE_SOFTBREAK:
            case CMARK_NODE_LINEBREAK:
                out += ' ';
                break;
            default:
                break;
            }
        } else if (ev == CMARK_EVENT_EXIT) {
            if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
                type == CMARK_NODE_ITEM || type == CMARK_NODE_CODE_BLOCK)
                if (!out.empty() && out.back() != '\n')
                    out += '\n';
        }
        // Leaf blocks have no EXIT event.
        if (ev == CMARK_EVENT_ENTER && type == CMARK_NODE_CODE_BLOCK && !out.empty() &&
            out.back() != '\n')
            out += '\n';
    }
    cmark_iter_free(it);
    cmark_node_free(root);
    return out;
}

} // namespace kb::search
