#include "core/recordedit.h"

#include "core/editproof.h"
#include "core/frontmatter.h"
#include "core/yamlmap.h"

namespace kb {
namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

// Sets one top-level key in `text`, or says why it cannot be done safely.
std::string setKey(std::string &text, const std::string &key, const std::string &yamlValue)
{
    FrontMatterMap fm;
    if (std::string err = readFrontMatterMap(text, &fm); !err.empty())
        return err;
    if (fm.map.flow)
        return "the front matter is one flow mapping ({...}); change '" + key +
               "' in a text editor";
    if (fm.map.explicitKeys)
        return "the front matter has explicit keys ('? key'); change '" + key +
               "' in a text editor";
    const std::string eol = fm.span.crlf ? "\r\n" : "\n";
    const std::string spacedValue = yamlValue.empty() ? "" : " " + yamlValue;
    const std::string &yaml = fm.yaml.yaml;
    if (const YamlEntry *e = fm.map.find(key)) {
        if (!e->unsafe.empty())
            return "cannot rewrite '" + key + "' safely: " + e->unsafe +
                   "; change it in a text editor";
        // The colon after the key, on the key's own line.
        std::size_t colon = e->keyEnd;
        while (colon < yaml.size() && isSpace(yaml[colon]))
            ++colon;
        if (colon >= yaml.size() || yaml[colon] != ':')
            return "cannot find the ':' after '" + key + "' on its line";
        const std::size_t from = colon + 1;
        const std::size_t to = std::max(from, e->valueEnd);
        const std::size_t fileFrom = fm.yaml.toFileOffset(from);
        const std::size_t fileTo = fm.yaml.toFileOffset(to);
        text = text.substr(0, fileFrom) + spacedValue + text.substr(fileTo);
        return {};
    }
    // A new key: its own line after the last entry, at the keys' indentation.
    std::string line = std::string(fm.map.entries.empty() ? 0 : fm.map.keyColumn, ' ') +
                       yamlScalar(key) + ":" + spacedValue + eol;
    text.insert(fm.span.yamlEnd, line);
    return {};
}

} // namespace

bool editRecordText(const std::string &text,
                    const std::vector<std::pair<std::string, std::string>> &sets,
                    const std::string &append, std::string *out, std::string *error)
{
    std::string current = text;
    for (const auto &[key, value] : sets) {
        if (std::string err = setKey(current, key, value); !err.empty()) {
            *error = err;
            return false;
        }
    }
    if (!append.empty()) {
        FrontMatterSpan span;
        int line = 0;
        findFrontMatter(current, span, &line);
        current = appendToBody(current, append, span.crlf);
    }
    if (current != text) {
        if (std::string broken = proveRecordEdit(text, current, sets, !append.empty());
            !broken.empty()) {
            *error = "refused, nothing written: " + broken;
            return false;
        }
    }
    *out = std::move(current);
    return true;
}

} // namespace kb
