#include "recordcreation.h"

#include "args.h"
#include "frontmatter.h"
#include "recordid.h"
#include "recordtemplate.h"
#include "schema.h"
#include "session.h"
#include "validator.h"

#include <filesystem>
#include <map>

namespace kb {
namespace {

// Puts each given section text under its heading of the template.
std::string fillSections(std::string text, const TypeSchema &schema,
                         const std::vector<std::string> &sections)
{
    std::size_t from = text.find("\n---\n", 3);
    for (std::size_t i = 0; i < schema.sections.size() && from != std::string::npos; ++i) {
        const SectionSpec &sec = schema.sections[i];
        std::string heading = sec.zh;
        if (!sec.en.empty() && sec.en != sec.zh)
            heading += heading.empty() ? sec.en : " / " + sec.en;
        const std::string line = "\n## " + heading + "\n\n";
        const std::size_t at = text.find(line, from);
        if (at == std::string::npos)
            break;
        from = at + line.size();
        if (i < sections.size() && !sections[i].empty()) {
            std::string body = sections[i];
            while (!body.empty() && (body.back() == '\n' || body.back() == '\r'))
                body.pop_back();
            text.insert(from, body + "\n");
            from += body.size() + 1;
        }
    }
    return text;
}

} // namespace

bool createRecord(Session &s, const TypeSchema &schema, const NewRecordRequest &request,
                  NewRecordResult *result)
{
    std::map<std::string, std::string> yaml;
    for (const auto &[name, given] : request.values) {
        const FieldSpec *spec = schema.find(name);
        if (!spec || name == "id" || name == "type" || name == "updated" || name == "title" ||
            name == "date") {
            result->problems.push_back(
                {name, "type '" + schema.type + "' has no field '" + name + "'"});
            continue;
        }
        FieldValue v;
        if (spec->type == FieldType::List) {
            v.kind = FieldValue::Kind::List;
            for (const auto &g : given)
                for (auto &item : splitCommaList(g))
                    v.items.push_back(std::move(item));
            if (v.items.empty())
                continue;
        } else {
            if (given.empty() || given.back().empty())
                continue;
            v.kind = FieldValue::Kind::Scalar;
            v.scalar = given.back();
        }
        if (std::string err = checkFieldValue(*spec, v, s.vocab()); !err.empty()) {
            result->problems.push_back({name, err});
            continue;
        }
        yaml[name] =
            v.kind == FieldValue::Kind::List ? yamlFlowList(v.items) : yamlScalar(v.scalar);
    }
    if (request.requireAll) {
        if (request.title.empty())
            result->problems.push_back({"title", "is required"});
        for (const FieldSpec &f : schema.fields)
            if (f.required && f.defaultValue.empty() && !yaml.count(f.name))
                result->problems.push_back({f.name, "is required"});
    }
    const std::string date = request.date.empty() ? s.today() : request.date;
    if (!isIsoDate(date))
        result->problems.push_back({"date", "'" + date + "' is not a date (expected YYYY-MM-DD)"});
    if (!result->problems.empty())
        return false;

    // Draw ids until one is free; creation is exclusive, so a race just draws again.
    std::string error;
    for (int attempt = 0; attempt < 20; ++attempt) {
        const std::string id = newRecordId(schema.idPrefix, date);
        const std::string rel = schema.folder + "/" + id + ".md";
        if (s.store().byId(id))
            continue;
        std::string content = renderRecordTemplate(schema, id, date, request.title, yaml);
        if (!request.sections.empty())
            content = fillSections(std::move(content), schema, request.sections);
        error.clear();
        if (s.writeRecord(rel, content, true, nullptr, &error)) {
            result->id = id;
            result->path = rel;
            s.reloadStore();
            return true;
        }
        if (!std::filesystem::exists(s.root().dir + "/" + rel))
            break;
    }
    result->error = error.empty() ? "could not find a free record id" : error;
    return false;
}

} // namespace kb
