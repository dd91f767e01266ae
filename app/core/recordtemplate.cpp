#include "core/recordtemplate.h"

#include "core/frontmatter.h"
#include "core/schema.h"

namespace kb {

std::string renderRecordTemplate(const TypeSchema &schema, const std::string &id,
                                 const std::string &date, const std::string &title,
                                 const std::map<std::string, std::string> &values,
                                 const std::vector<std::string> &sections)
{
    std::string out = "---\n";
    out += "id: " + id + "\n";
    out += "type: " + schema.type + "\n";
    out += "title: " + (title.empty() ? std::string() : yamlScalarFor(schema.find("title"), title));
    out += title.empty() ? "   # required\n" : "\n";
    out += "date: " + date + "\n";
    auto tags = values.find("tags");
    out += "tags: " + (tags != values.end() ? tags->second : std::string("[]")) + "\n";
    for (const auto &f : schema.fields) {
        std::string value;
        if (auto it = values.find(f.name); it != values.end())
            value = it->second;
        else if (!f.defaultValue.empty())
            value = f.type == FieldType::List ? yamlFlowListFor(&f, {f.defaultValue})
                                              : yamlScalarFor(&f, f.defaultValue);
        else if (f.type == FieldType::List)
            value = "[]";
        out += f.name + ":";
        if (!value.empty())
            out += " " + value;
        std::string note;
        if (value.empty() || value == "[]") {
            if (f.required)
                note = "required";
            if (!f.values.empty()) {
                std::string list;
                for (const auto &v : f.values)
                    list += (list.empty() ? "" : "|") + v;
                note += (note.empty() ? "" : "; ") + list;
            } else if (!f.vocabulary.empty()) {
                note += (note.empty() ? "" : "; ") + std::string("vocab/") + f.vocabulary + ".yaml";
            } else if (f.isDateLike()) {
                note += (note.empty() ? "" : "; ") + std::string("YYYY-MM-DD");
            }
        }
        if (!note.empty())
            out += "   # " + note;
        out += "\n";
    }
    out += "---\n";
    for (std::size_t i = 0; i < schema.sections.size(); ++i) {
        const SectionSpec &s = schema.sections[i];
        std::string heading = s.zh;
        if (!s.en.empty() && s.en != s.zh)
            heading += heading.empty() ? s.en : " / " + s.en;
        out += "\n## " + heading + "\n\n";
        if (i < sections.size() && !sections[i].empty()) {
            std::string text = sections[i];
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
                text.pop_back();
            out += text + "\n";
        }
    }
    return out;
}

} // namespace kb
