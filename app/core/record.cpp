#include "core/record.h"

#include "core/textcheck.h"

#include "core/yamlmap.h"

#include <algorithm>

namespace kb {
namespace {

std::string firstHeading(std::string_view body)
{
    std::size_t pos = 0;
    while (pos < body.size()) {
        std::size_t nl = body.find('\n', pos);
        std::string_view line =
            body.substr(pos, nl == std::string_view::npos ? body.npos : nl - pos);
        if (line.substr(0, 2) == "# " || line.substr(0, 3) == "## ") {
            std::string_view t = line.substr(line.find(' ') + 1);
            while (!t.empty() && (t.back() == '\r' || t.back() == ' '))
                t.remove_suffix(1);
            return std::string(t);
        }
        if (nl == std::string_view::npos)
            break;
        pos = nl + 1;
    }
    return {};
}

} // namespace

std::vector<std::string> FieldValue::asList() const
{
    if (kind == Kind::Scalar)
        return scalar.empty() ? std::vector<std::string>{} : std::vector<std::string>{scalar};
    if (kind == Kind::List)
        return items;
    return {};
}

std::string FieldValue::asText() const
{
    if (kind == Kind::Scalar)
        return scalar;
    std::string out;
    for (const auto &i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

const FieldValue *Record::field(std::string_view key) const
{
    for (const auto &[k, v] : fields)
        if (k == key)
            return &v;
    return nullptr;
}

std::string Record::value(std::string_view key) const
{
    const FieldValue *v = field(key);
    return v && v->kind == FieldValue::Kind::Scalar ? v->scalar : std::string();
}

std::string Record::title() const
{
    std::string t = value("title");
    if (!t.empty())
        return t;
    t = firstHeading(body);
    if (!t.empty())
        return t;
    std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".md") == 0)
        name.resize(name.size() - 3);
    return name;
}

int Record::lineOf(std::string_view key) const
{
    const FieldValue *v = field(key);
    if (v && v->line > 0)
        return v->line;
    return span.present ? 1 : 0;
}

std::string noteIdFromPath(std::string_view relPath)
{
    std::string id;
    std::string_view p = relPath;
    if (p.size() > 3 && p.substr(p.size() - 3) == ".md")
        p.remove_suffix(3);
    for (char c : p) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u >= 0x80 || std::isalnum(u) || c == '.' || c == '_')
            id += static_cast<char>(u < 0x80 ? std::tolower(u) : u);
        else if (!id.empty() && id.back() != '-')
            id += '-';
    }
    while (!id.empty() && id.back() == '-')
        id.pop_back();
    return id.empty() ? "note" : id;
}

ParseResult parseRecord(std::string relPath, std::string text)
{
    ParseResult result;
    auto fail = [&](int line, std::string message) {
        result.findings.push_back({relPath, line, {}, std::move(message)});
        return result;
    };
    if (text.empty())
        return fail(0, "empty file");
    if (looksBinary(text))
        return fail(0, "binary file (contains NUL bytes), not Markdown");
    if (std::size_t bad = firstInvalidUtf8(text); bad != std::string::npos)
        return fail(lineOfOffset(text, bad),
                    "invalid UTF-8 at byte " + std::to_string(bad) + "; save the file as UTF-8");

    Record rec;
    rec.path = relPath;
    int errorLine = 0;
    std::string err = findFrontMatter(text, rec.span, &errorLine);
    if (!err.empty())
        return fail(errorLine, err);

    if (!rec.span.present) {
        rec.plainNote = true;
        rec.body = text.substr(rec.span.bom ? 3 : 0);
        rec.text = std::move(text);
        result.record = std::move(rec);
        return result;
    }

    const FrontMatterYaml yaml = frontMatterYaml(text, rec.span);
    YamlMap map;
    if (auto problem = readYamlMap(yaml.yaml, rec.span.yamlFirstLine, &map))
        return fail(problem->line, problem->message);
    rec.fields.reserve(map.entries.size());
    for (YamlEntry &e : map.entries) {
        e.value.line = e.line;
        rec.fields.emplace_back(std::move(e.key), std::move(e.value));
    }
    rec.body = text.substr(rec.span.closeEnd);
    rec.text = std::move(text);
    result.record = std::move(rec);
    return result;
}

} // namespace kb
