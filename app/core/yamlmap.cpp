#include "core/yamlmap.h"

#include <yaml.h>

#include <unordered_map>

namespace kb {
namespace {

constexpr int kMaxNesting = 64;

// libyaml marks count characters; splices need bytes. Marks arrive in nearly increasing
// order, so a cursor that walks the UTF-8 text from the last position keeps the
// conversion linear overall.
class CharToByte {
public:
    explicit CharToByte(std::string_view text) : text_(text) {}
    std::size_t operator()(std::size_t charIndex)
    {
        while (char_ < charIndex && byte_ < text_.size()) {
            ++byte_;
            while (byte_ < text_.size() &&
                   (static_cast<unsigned char>(text_[byte_]) & 0xC0) == 0x80)
                ++byte_;
            ++char_;
        }
        while (char_ > charIndex && byte_ > 0) {
            --byte_;
            while (byte_ > 0 && (static_cast<unsigned char>(text_[byte_]) & 0xC0) == 0x80)
                --byte_;
            --char_;
        }
        return byte_;
    }

private:
    std::string_view text_;
    std::size_t char_ = 0, byte_ = 0;
};

class Parser {
public:
    Parser(std::string_view yaml, int firstLine) : firstLine_(firstLine)
    {
        yaml_parser_initialize(&parser_);
        yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char *>(yaml.data()),
                                     yaml.size());
        yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
    }
    ~Parser()
    {
        if (haveEvent_)
            yaml_event_delete(&event_);
        yaml_parser_delete(&parser_);
    }
    Parser(const Parser &) = delete;
    Parser &operator=(const Parser &) = delete;

    // The next event, or nullptr with the problem filled in.
    const yaml_event_t *next(YamlProblem *problem)
    {
        if (haveEvent_)
            yaml_event_delete(&event_);
        haveEvent_ = yaml_parser_parse(&parser_, &event_) != 0;
        if (!haveEvent_) {
            problem->line = firstLine_ + static_cast<int>(parser_.problem_mark.line);
            problem->message = std::string("invalid YAML: ") +
                               (parser_.problem ? parser_.problem : "unreadable text");
            if (parser_.context)
                problem->message += std::string(" ") + parser_.context;
            return nullptr;
        }
        return &event_;
    }

private:
    yaml_parser_t parser_{};
    yaml_event_t event_{};
    bool haveEvent_ = false;
    int firstLine_;
};

std::string text(const yaml_char_t *s, std::size_t n)
{
    return s ? std::string(reinterpret_cast<const char *>(s), n) : std::string();
}
std::string text(const yaml_char_t *s)
{
    return s ? std::string(reinterpret_cast<const char *>(s)) : std::string();
}

bool isNullScalar(const yaml_event_t &e)
{
    const std::string tag = text(e.data.scalar.tag);
    if (tag == "tag:yaml.org,2002:null")
        return true;
    if (!tag.empty() || e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const std::string v = text(e.data.scalar.value, e.data.scalar.length);
    return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

// Builds one top-level value from its events: the FieldValue schemas read, the canonical
// form edits are proven with, and the last byte of its content.
struct ValueBuilder {
    YamlEntry &entry;
    CharToByte &toByte;
    std::string_view yaml;
    std::unordered_map<std::string, FieldValue> &scalarAnchors;
    int depth = 0; // open collections inside the value
    bool sawAny = false;

    // The end of the last line before `pos` holding more than blanks or a comment.
    std::size_t lastContentLineEnd(std::size_t pos) const
    {
        std::size_t lineStart = pos;
        while (lineStart > 0 && yaml[lineStart - 1] != '\n')
            --lineStart;
        while (lineStart > entry.valueBegin) {
            const std::size_t end = lineStart - 1; // the '\n' ending the previous line
            std::size_t begin = end;
            while (begin > 0 && yaml[begin - 1] != '\n')
                --begin;
            std::size_t first = begin;
            while (first < end &&
                   (yaml[first] == ' ' || yaml[first] == '\t' || yaml[first] == '\r'))
                ++first;
            if (first < end && yaml[first] != '#')
                return std::max(end, entry.valueBegin);
            lineStart = begin;
        }
        return entry.valueBegin;
    }

    void extendTo(std::size_t byteEnd)
    {
        if (byteEnd > entry.valueEnd)
            entry.valueEnd = byteEnd;
    }
    void noteStart(const yaml_event_t &e)
    {
        if (!sawAny) {
            sawAny = true;
            entry.valueBegin = toByte(e.start_mark.index);
        }
    }
    void anchorAndTag(const yaml_char_t *anchor, const yaml_char_t *tag)
    {
        if (anchor) {
            entry.canonical += "&" + text(anchor) + "\x1f";
            entry.unsafe = "it holds an anchor (&" + text(anchor) + ")";
        }
        if (tag) {
            entry.canonical += "!" + text(tag) + "\x1f";
            if (entry.unsafe.empty())
                entry.unsafe = "it carries a tag (" + text(tag) + ")";
        }
    }

    // Feeds one event; returns true when the value is complete.
    bool feed(const yaml_event_t &e)
    {
        FieldValue &v = entry.value;
        switch (e.type) {
        case YAML_SCALAR_EVENT: {
            const std::string value = text(e.data.scalar.value, e.data.scalar.length);
            const bool plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            anchorAndTag(e.data.scalar.anchor, e.data.scalar.tag);
            entry.canonical += (plain ? "p" : "q") + std::to_string(value.size()) + ":" + value;
            // An empty plain scalar (`key:` or `- `) is marked at the next token: no content.
            if (!(plain && value.empty())) {
                noteStart(e);
                std::size_t end = toByte(e.end_mark.index);
                if (e.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                    e.data.scalar.style == YAML_FOLDED_SCALAR_STYLE) {
                    const std::size_t begin = toByte(e.start_mark.index);
                    while (end > begin + 1 && (yaml[end - 1] == '\n' || yaml[end - 1] == ' ' ||
                                               yaml[end - 1] == '\t' || yaml[end - 1] == '\r'))
                        --end;
                }
                extendTo(end);
            }
            const bool isNull = isNullScalar(e);
            if (depth == 0) {
                if (!isNull) {
                    v.kind = FieldValue::Kind::Scalar;
                    v.scalar = value;
                }
                if (e.data.scalar.anchor)
                    scalarAnchors[text(e.data.scalar.anchor)] = v;
                return true;
            }
            if (depth == 1 && v.kind == FieldValue::Kind::List && !isNull)
                v.items.push_back(value);
            return false;
        }
        case YAML_ALIAS_EVENT: {
            noteStart(e);
            extendTo(toByte(e.end_mark.index));
            const std::string name = text(e.data.alias.anchor);
            entry.canonical += "*" + name + "\x1f";
            if (entry.unsafe.empty())
                entry.unsafe = "it refers to an anchor (*" + name + ")";
            auto known = scalarAnchors.find(name);
            if (depth == 0) {
                if (known != scalarAnchors.end())
                    v = known->second;
                else
                    v.kind = FieldValue::Kind::Nested;
                return true;
            }
            if (depth == 1 && v.kind == FieldValue::Kind::List) {
                if (known != scalarAnchors.end() && known->second.kind == FieldValue::Kind::Scalar)
                    v.items.push_back(known->second.scalar);
                else if (known == scalarAnchors.end() ||
                         known->second.kind != FieldValue::Kind::Null) {
                    v.kind = FieldValue::Kind::Nested;
                    v.items.clear();
                }
            }
            return false;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            const bool seq = e.type == YAML_SEQUENCE_START_EVENT;
            noteStart(e);
            if (seq)
                anchorAndTag(e.data.sequence_start.anchor, e.data.sequence_start.tag);
            else
                anchorAndTag(e.data.mapping_start.anchor, e.data.mapping_start.tag);
            entry.canonical += seq ? "[" : "{";
            if (depth == 0)
                v.kind = seq ? FieldValue::Kind::List : FieldValue::Kind::Nested;
            else if (depth == 1 && v.kind == FieldValue::Kind::List) {
                v.kind = FieldValue::Kind::Nested;
                v.items.clear();
            }
            ++depth;
            return false;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            entry.canonical += e.type == YAML_SEQUENCE_END_EVENT ? "]" : "}";
            // A flow collection ends at its bracket; a block one at the next token, so its
            // content ends with the last line before that which is not blank or a comment
            // (a null item, `-` alone, has no event of its own that would mark it).
            if (e.start_mark.index != e.end_mark.index)
                extendTo(toByte(e.end_mark.index));
            else if (depth == 1)
                extendTo(lastContentLineEnd(toByte(e.start_mark.index)));
            return --depth == 0;
        default:
            return false;
        }
    }
};

} // namespace

const YamlEntry *YamlMap::find(std::string_view key) const
{
    for (const YamlEntry &e : entries)
        if (e.key == key)
            return &e;
    return nullptr;
}

std::optional<YamlProblem> readYamlMap(std::string_view yaml, int firstLine, YamlMap *out)
{
    *out = {};
    Parser parser(yaml, firstLine);
    CharToByte toByte(yaml);
    YamlProblem problem;
    std::unordered_map<std::string, int> keyLines;
    std::unordered_map<std::string, FieldValue> scalarAnchors;
    int documents = 0;
    bool topLevel = false; // inside the top-level mapping
    int nesting = 0;
    for (;;) {
        const yaml_event_t *e = parser.next(&problem);
        if (!e)
            return problem;
        const int line = firstLine + static_cast<int>(e->start_mark.line);
        switch (e->type) {
        case YAML_STREAM_END_EVENT:
            return std::nullopt;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                return YamlProblem{line, "front matter holds more than one YAML document"};
            continue;
        case YAML_MAPPING_START_EVENT:
            if (!topLevel && !out->isMapping) {
                out->isMapping = topLevel = true;
                out->flow = e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
                continue;
            }
            break;
        case YAML_MAPPING_END_EVENT:
            if (topLevel) {
                topLevel = false;
                continue;
            }
            break;
        case YAML_SCALAR_EVENT:
            if (!topLevel && !out->isMapping) {
                if (!isNullScalar(*e))
                    return YamlProblem{line,
                                       "front matter must be a mapping of `key: value` lines"};
                continue;
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_ALIAS_EVENT:
            if (!topLevel && !out->isMapping)
                return YamlProblem{line, "front matter must be a mapping of `key: value` lines"};
            break;
        default:
            continue;
        }
        if (!topLevel)
            return YamlProblem{line, "front matter must be a mapping of `key: value` lines"};

        // A key: a scalar, then its value's events.
        if (e->type != YAML_SCALAR_EVENT)
            return YamlProblem{line, "front matter keys must be plain text"};
        YamlEntry entry;
        entry.key = text(e->data.scalar.value, e->data.scalar.length);
        entry.line = line;
        entry.keyBegin = toByte(e->start_mark.index);
        entry.keyEnd = toByte(e->end_mark.index);
        entry.valueBegin = entry.valueEnd = entry.keyEnd;
        if (auto [it, fresh] = keyLines.emplace(entry.key, line); !fresh)
            return YamlProblem{line, "duplicate key '" + entry.key + "' (first at line " +
                                         std::to_string(it->second) + ")"};
        // `? key`: only the blanks just before the key are looked at, so a one-line flow
        // mapping of many keys is not rescanned from its start for each one (quadratic).
        std::size_t before = entry.keyBegin;
        while (before > 0 && (yaml[before - 1] == ' ' || yaml[before - 1] == '\t'))
            --before;
        if (before > 0 && yaml[before - 1] == '?')
            out->explicitKeys = true;
        if (out->entries.empty()) {
            std::size_t lineStart = entry.keyBegin;
            while (lineStart > 0 && yaml[lineStart - 1] != '\n')
                --lineStart;
            out->keyColumn = entry.keyBegin - lineStart;
        }

        ValueBuilder value{entry, toByte, yaml, scalarAnchors};
        for (;;) {
            const yaml_event_t *v = parser.next(&problem);
            if (!v)
                return problem;
            if (v->type == YAML_SEQUENCE_START_EVENT || v->type == YAML_MAPPING_START_EVENT) {
                if (++nesting > kMaxNesting)
                    return YamlProblem{firstLine + static_cast<int>(v->start_mark.line),
                                       "front matter nests deeper than " +
                                           std::to_string(kMaxNesting) + " levels"};
            } else if (v->type == YAML_SEQUENCE_END_EVENT || v->type == YAML_MAPPING_END_EVENT) {
                --nesting;
            }
            if (value.feed(*v))
                break;
        }
        out->entries.push_back(std::move(entry));
    }
}

std::string readFrontMatterMap(std::string_view text, FrontMatterMap *out)
{
    int line = 0;
    std::string err = findFrontMatter(text, out->span, &line);
    if (!err.empty())
        return "line " + std::to_string(line) + ": " + err;
    if (!out->span.present)
        return "the file has no front matter";
    out->yaml = frontMatterYaml(text, out->span);
    if (auto problem = readYamlMap(out->yaml.yaml, out->span.yamlFirstLine, &out->map))
        return "line " + std::to_string(problem->line) + ": " + problem->message;
    return {};
}

} // namespace kb
