#include "services/recordcreation.h"

#include "core/frontmatter.h"
#include "core/recordid.h"
#include "core/recordtemplate.h"
#include "core/schema.h"
#include "core/validator.h"
#include "services/args.h"
#include "services/session.h"

#include <filesystem>
#include <map>

namespace kb {

FieldValue givenFieldValue(const FieldSpec &spec, const std::vector<std::string> &given)
{
    FieldValue v;
    if (spec.type == FieldType::List) {
        for (const auto &g : given)
            for (auto &item : splitCommaList(g))
                v.items.push_back(std::move(item));
        if (!v.items.empty())
            v.kind = FieldValue::Kind::List;
    } else if (!given.empty() && !given.back().empty()) {
        v.kind = FieldValue::Kind::Scalar;
        v.scalar = given.back();
    }
    return v;
}

std::string yamlOf(const FieldSpec &spec, const FieldValue &value)
{
    switch (value.kind) {
    case FieldValue::Kind::List:
        return yamlFlowListFor(&spec, value.items);
    case FieldValue::Kind::Scalar:
        return yamlScalarFor(&spec, value.scalar);
    default:
        return {};
    }
}

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
        const FieldValue v = givenFieldValue(*spec, given);
        if (v.isNull())
            continue;
        if (std::string err = checkFieldValue(*spec, v, s.vocab()); !err.empty()) {
            result->problems.push_back({name, err});
            continue;
        }
        yaml[name] = yamlOf(*spec, v);
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
        const std::string content =
            renderRecordTemplate(schema, id, date, request.title, yaml, request.sections);
        error.clear();
        std::vector<Finding> refusedBy;
        if (s.writeRecord(rel, content, true, nullptr, &error, &refusedBy)) {
            result->id = id;
            result->path = rel;
            s.reloadStore();
            return true;
        }
        if (!refusedBy.empty()) {
            for (const Finding &f : refusedBy)
                result->problems.push_back({f.field, f.message});
            result->refusedByRules = true;
            result->error = error;
            return false;
        }
        if (!std::filesystem::exists(s.root().dir + "/" + rel))
            break;
    }
    result->error = error.empty() ? "could not find a free record id" : error;
    return false;
}

} // namespace kb
