#include "frontmatter.h"

#include <algorithm>

namespace kb {
namespace {

// One line of the text: [begin, end) without the line break; next = start of next line.
struct Line {
    std::size_t begin, end, next;
};

Line lineAt(std::string_view text, std::size_t pos)
{
    std::size_t nl = text.find('\n', pos);
    std::size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    if (end > pos && text[end - 1] == '\r')
        --end;
    return {pos, end, next};
}

bool isDelimiter(std::string_view line, std::string_view marker)
{
    // Trailing spaces after the marker are tolerated, as editors leave them.
    if (line.substr(0, marker.size()) != marker)
        return false;
    return std::all_of(line.begin() + marker.size(), line.end(),
                       [](char c) { return c == ' ' || c == '\t'; });
}

bool needsQuotes(std::string_view v)
{
    if (v.empty())
        return true;
    if (v.front() == ' ' || v.back() == ' ')
        return true;
    static const std::string_view leading = "-?:,[]{}#&*!|>'\"%@`";
    if (leading.find(v.front()) != std::string_view::npos)
        return true;
    if (v.find(": ") != std::string_view::npos || v.find(" #") != std::string_view::npos ||
        v.back() == ':')
        return true;
    for (char c : v)
        if (c == '\n' || c == '\r' || c == '\t' || (static_cast<unsigned char>(c) < 0x20))
            return true;
    return false;
}

std::string doubleQuoted(std::string_view v)
{
    std::string out = "\"";
    for (char c : v) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char *hex = "0123456789abcdef";
                out += "\\x";
                out += hex[(c >> 4) & 0xF];
                out += hex[c & 0xF];
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

// Offset of a ` #` comment on a single-line value, skipping quoted text.
std::size_t commentStart(std::string_view line)
{
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'')
            quote = c;
        else if (c == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t'))
            return i;
    }
    return std::string_view::npos;
}

} // namespace

std::string findFrontMatter(std::string_view text, FrontMatterSpan &span, int *errorLine)
{
    span = {};
    std::size_t pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        span.bom = true;
        pos = 3;
    }
    Line first = lineAt(text, pos);
    if (!isDelimiter(text.substr(first.begin, first.end - first.begin), "---"))
        return {};
    span.crlf = first.end < text.size() && text[first.end] == '\r';
    span.yamlBegin = first.next;
    span.yamlFirstLine = 2;
    int lineNo = 2;
    for (std::size_t p = first.next; p < text.size(); ++lineNo) {
        Line l = lineAt(text, p);
        std::string_view content = text.substr(l.begin, l.end - l.begin);
        if (isDelimiter(content, "---") || isDelimiter(content, "...")) {
            span.present = true;
            span.yamlEnd = l.begin;
            span.closeEnd = l.next;
            return {};
        }
        p = l.next;
    }
    if (errorLine)
        *errorLine = 1;
    return "front matter opened with '---' is never closed";
}

std::string frontMatterYaml(std::string_view text, const FrontMatterSpan &span)
{
    std::string yaml(text.substr(span.yamlBegin, span.yamlEnd - span.yamlBegin));
    yaml.erase(std::remove(yaml.begin(), yaml.end(), '\r'), yaml.end());
    return yaml;
}

std::string yamlScalar(std::string_view value)
{
    return needsQuotes(value) ? doubleQuoted(value) : std::string(value);
}

std::string yamlFlowList(const std::vector<std::string> &items)
{
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += ", ";
        const std::string &v = items[i];
        bool flowUnsafe = v.find_first_of(",[]{}") != std::string::npos;
        out += (flowUnsafe || needsQuotes(v)) ? doubleQuoted(v) : v;
    }
    return out + "]";
}

std::string setFrontMatterKey(std::string_view text, const FrontMatterSpan &span,
                              std::string_view key, std::string_view yamlValue)
{
    const std::string eol = span.crlf ? "\r\n" : "\n";
    std::string prefix(key);
    prefix += ':';
    std::size_t p = span.yamlBegin;
    while (p < span.yamlEnd) {
        Line l = lineAt(text, p);
        std::string_view content = text.substr(l.begin, l.end - l.begin);
        bool match = content.substr(0, prefix.size()) == prefix &&
                     (content.size() == prefix.size() || content[prefix.size()] == ' ' ||
                      content[prefix.size()] == '\t');
        if (!match) {
            p = l.next;
            continue;
        }
        // The entry runs on over indented lines, blank lines and `- ` items at column 0.
        std::size_t entryEnd = l.next;
        std::size_t lastContentEnd = l.next;
        while (entryEnd < span.yamlEnd) {
            Line n = lineAt(text, entryEnd);
            std::string_view c = text.substr(n.begin, n.end - n.begin);
            bool blank = c.find_first_not_of(" \t") == std::string_view::npos;
            bool continuation = !c.empty() && (c[0] == ' ' || c[0] == '\t' || c[0] == '-');
            if (!blank && !continuation)
                break;
            entryEnd = n.next;
            if (!blank)
                lastContentEnd = n.next;
        }
        std::string comment;
        if (lastContentEnd == l.next) { // single-line entry: keep its comment
            std::string_view rest = content.substr(prefix.size());
            std::size_t c = commentStart(rest);
            if (c != std::string_view::npos) {
                std::size_t ws = c; // keep the user's spacing before '#'
                while (ws > 0 && (rest[ws - 1] == ' ' || rest[ws - 1] == '\t'))
                    --ws;
                comment = std::string(rest.substr(ws));
            }
        }
        std::string out(text.substr(0, l.begin));
        out += prefix;
        if (!yamlValue.empty())
            out += " ";
        out += yamlValue;
        out += comment;
        out += eol;
        out += text.substr(lastContentEnd);
        return out;
    }
    std::string out(text.substr(0, span.yamlEnd));
    if (span.yamlEnd > span.yamlBegin && text[span.yamlEnd - 1] != '\n')
        out += eol;
    out += prefix;
    if (!yamlValue.empty())
        out += " ";
    out += yamlValue;
    out += eol;
    out += text.substr(span.yamlEnd);
    return out;
}

std::string appendToBody(std::string_view text, std::string_view markdown, bool crlf)
{
    const std::string eol = crlf ? "\r\n" : "\n";
    std::string out(text);
    if (!out.empty() && out.back() != '\n')
        out += eol;
    if (!out.empty() && out.size() >= 2 * eol.size() &&
        out.compare(out.size() - 2 * eol.size(), 2 * eol.size(), eol + eol) != 0)
        out += eol;
    std::string md(markdown);
    if (crlf) {
        std::string converted;
        for (char c : md) {
            if (c == '\n')
                converted += "\r\n";
            else if (c != '\r')
                converted += c;
        }
        md = converted;
    }
    out += md;
    if (out.back() != '\n')
        out += eol;
    return out;
}

} // namespace kb
