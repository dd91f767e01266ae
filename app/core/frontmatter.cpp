#include "core/frontmatter.h"
#include <cstring>
#include <vector>

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

// Characters a YAML reader would not keep as they are in a plain scalar: C0 controls,
// DEL, C1 controls (NEL breaks lines), the line and paragraph separators, the BOM and the
// non-characters U+FFFE/U+FFFF (refused by libyaml). Returns the byte length of the one
// at `i`, or 0.
std::size_t specialAt(std::string_view v, std::size_t i)
{
    const auto c = static_cast<unsigned char>(v[i]);
    if (c < 0x20 || c == 0x7F)
        return 1;
    auto at = [&](std::size_t k) {
        return i + k < v.size() ? static_cast<unsigned char>(v[i + k]) : 0;
    };
    if (c == 0xC2 && at(1) >= 0x80 && at(1) <= 0x9F)
        return 2;
    if (c == 0xE2 && at(1) == 0x80 && (at(2) == 0xA8 || at(2) == 0xA9))
        return 3;
    if (c == 0xEF && ((at(1) == 0xBB && at(2) == 0xBF) || (at(1) == 0xBF && at(2) >= 0xBE)))
        return 3;
    return 0;
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
    // Plain text a reader takes for null must stay the text the user gave.
    if (v == "~" || v == "null" || v == "Null" || v == "NULL")
        return true;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (specialAt(v, i))
            return true;
    return false;
}

std::string doubleQuoted(std::string_view v)
{
    static const char *hex = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
            continue;
        }
        const std::size_t special = specialAt(v, i);
        if (special == 0) {
            out += c;
            continue;
        }
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else {
            // The code point, as \uXXXX (every special one fits in 16 bits).
            unsigned cp = static_cast<unsigned char>(c);
            if (special == 2)
                cp = ((cp & 0x1F) << 6) | (static_cast<unsigned char>(v[i + 1]) & 0x3F);
            else if (special == 3)
                cp = ((cp & 0x0F) << 12) | ((static_cast<unsigned char>(v[i + 1]) & 0x3F) << 6) |
                     (static_cast<unsigned char>(v[i + 2]) & 0x3F);
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4)
                out += hex[(cp >> shift) & 0xF];
            i += special - 1;
        }
    }
    return out + "\"";
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

FrontMatterYaml frontMatterYaml(std::string_view text, const FrontMatterSpan &span)
{
    FrontMatterYaml out;
    out.base = span.yamlBegin;
    std::string_view raw = text.substr(span.yamlBegin, span.yamlEnd - span.yamlBegin);
    out.yaml.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') {
            out.joinedBreaks.push_back(out.yaml.size());
            continue;
        }
        out.yaml += raw[i];
    }
    return out;
}

std::size_t FrontMatterYaml::toFileOffset(std::size_t yamlOffset) const
{
    // Each joined break before the offset stood for two bytes in the file.
    auto before = std::lower_bound(joinedBreaks.begin(), joinedBreaks.end(), yamlOffset);
    return base + yamlOffset + static_cast<std::size_t>(before - joinedBreaks.begin());
}

std::string yamlScalar(std::string_view value)
{
    return needsQuotes(value) ? doubleQuoted(value) : std::string(value);
}

namespace {

// What a YAML 1.1 or 1.2 reader resolves to something other than a string when plain.
bool looksTyped(std::string_view v)
{
    static const std::vector<std::string_view> words = {
        "y",    "Y",    "yes",  "Yes",   "YES",   "n",     "N",     "no",   "No",   "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on",    "On",   "ON",   "off",
        "Off",  "OFF",  ".inf", ".Inf",  ".INF",  "-.inf", "+.inf", ".nan", ".NaN", ".NAN"};
    if (std::find(words.begin(), words.end(), v) != words.end())
        return true;
    // Numbers (decimal, with _ or exponent, 0x/0o/0b), sexagesimal (1:20) and dates: only
    // digits and the characters those forms use, with at least one digit.
    bool digit = false;
    for (char c : v) {
        if (c >= '0' && c <= '9')
            digit = true;
        else if (!std::strchr("+-._:eExXoObBabcdefABCDEF", c))
            return false;
    }
    return digit && ((v[0] >= '0' && v[0] <= '9') || v[0] == '+' || v[0] == '-' || v[0] == '.');
}

bool textLike(const FieldSpec *spec)
{
    if (!spec)
        return false;
    const FieldType t = spec->type == FieldType::List ? spec->itemType : spec->type;
    return t == FieldType::String || t == FieldType::Text || t == FieldType::Person ||
           t == FieldType::Reference || t == FieldType::Enum;
}

} // namespace

std::string yamlScalarFor(const FieldSpec *spec, std::string_view value)
{
    if (textLike(spec) && !value.empty() && looksTyped(value))
        return doubleQuoted(value);
    return yamlScalar(value);
}

std::string yamlFlowListFor(const FieldSpec *spec, const std::vector<std::string> &items)
{
    if (!textLike(spec))
        return yamlFlowList(items);
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string single = yamlFlowList({items[i]}); // "[item]", quoted if need be
        const std::string item = single.substr(1, single.size() - 2);
        out += (i ? ", " : "") +
               (item == items[i] && looksTyped(items[i]) ? doubleQuoted(items[i]) : item);
    }
    return out + "]";
}

std::string yamlFlowList(const std::vector<std::string> &items)
{
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += ", ";
        const std::string &v = items[i];
        // Inside [ ] a comma, bracket, brace or colon would end or split a plain item.
        bool flowUnsafe = v.find_first_of(",[]{}:") != std::string::npos;
        out += (flowUnsafe || needsQuotes(v)) ? doubleQuoted(v) : v;
    }
    return out + "]";
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
