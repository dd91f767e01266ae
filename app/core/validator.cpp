#include "core/validator.h"

#include "core/record.h"
#include "core/schema.h"
#include "core/vocabulary.h"

#include <cstdlib>

namespace kb {
namespace {

std::string checkScalar(const FieldSpec &spec, FieldType type, const std::string &v,
                        const Vocabularies &vocab)
{
    switch (type) {
    case FieldType::Date:
        if (!isIsoDate(v))
            return "'" + v + "' is not a date (expected YYYY-MM-DD)";
        break;
    case FieldType::Number: {
        char *end = nullptr;
        std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0')
            return "'" + v + "' is not a number";
        break;
    }
    case FieldType::Bool:
        if (v != "true" && v != "false" && v != "yes" && v != "no")
            return "'" + v + "' is not true/false";
        break;
    case FieldType::Enum:
        if (!spec.values.empty()) {
            for (const auto &allowed : spec.values)
                if (allowed == v)
                    return {};
            std::string list;
            for (const auto &allowed : spec.values)
                list += (list.empty() ? "" : ", ") + allowed;
            return "'" + v + "' is not one of: " + list;
        }
        if (!spec.vocabulary.empty()) {
            if (!vocab.get(spec.vocabulary))
                return "vocabulary '" + spec.vocabulary + "' is missing (vocab/" + spec.vocabulary +
                       ".yaml)";
            if (!vocab.lookup(spec.vocabulary, v))
                return "'" + v + "' is not in vocabulary '" + spec.vocabulary + "'";
        }
        break;
    case FieldType::Reference:
        if (!isValidId(v))
            return "'" + v + "' is not a record id";
        break;
    default:
        break;
    }
    return {};
}

} // namespace

bool isValidId(const std::string &id)
{
    if (id.empty() || id.size() > 100)
        return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        char c = id[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '-' && c != '_' && c != '.')))
            return false;
    }
    return true;
}

std::string checkFieldValue(const FieldSpec &spec, const FieldValue &value,
                            const Vocabularies &vocab)
{
    if (value.isNull())
        return spec.required ? "required field '" + spec.name + "' is empty" : std::string();
    if (value.kind == FieldValue::Kind::Nested && spec.type != FieldType::Text)
        return "'" + spec.name + "' must be a plain value, not a nested structure";
    if (spec.type == FieldType::List) {
        if (value.kind == FieldValue::Kind::Nested)
            return "'" + spec.name + "' must be a list of plain values";
        auto items = value.asList();
        if (spec.required && items.empty())
            return "required field '" + spec.name + "' is empty";
        for (const auto &item : items) {
            std::string err = checkScalar(spec, spec.itemType, item, vocab);
            if (!err.empty())
                return spec.name + ": " + err;
        }
        return {};
    }
    if (value.kind == FieldValue::Kind::List)
        return "'" + spec.name + "' takes one value, not a list";
    if (spec.required && value.scalar.empty())
        return "required field '" + spec.name + "' is empty";
    if (value.scalar.empty())
        return {};
    std::string err = checkScalar(spec, spec.type, value.scalar, vocab);
    return err.empty() ? err : spec.name + ": " + err;
}

std::vector<Finding> validateRecord(const Record &record, const TypeSchema &schema,
                                    const Vocabularies &vocab)
{
    std::vector<Finding> out;
    auto add = [&](const std::string &field, std::string message) {
        out.push_back({record.path, record.lineOf(field), field, std::move(message)});
    };
    std::string id = record.id();
    if (!record.field("id") || id.empty())
        add("id", "missing required field 'id'");
    else if (!isValidId(id))
        add("id", "id '" + id + "' may only use a-z, 0-9, '-', '_' and '.'");

    auto checkAll = [&](const FieldSpec &spec) {
        if (spec.name == "id" || spec.name == "type")
            return;
        const FieldValue *v = record.field(spec.name);
        if (!v) {
            if (spec.required && spec.defaultValue.empty()) // absent means the default
                add(spec.name, "missing required field '" + spec.name + "'");
            return;
        }
        std::string err = checkFieldValue(spec, *v, vocab);
        if (!err.empty())
            add(spec.name, err);
    };
    for (const auto &spec : commonFields())
        checkAll(spec);
    for (const auto &spec : schema.fields)
        checkAll(spec);
    return out;
}

bool sameFieldValue(const FieldSpec &spec, const FieldValue &given, const FieldValue *current,
                    const Vocabularies &vocab)
{
    // Absent, `key:`, `key: ""` and `key: []` all hold nothing.
    auto empty = [](const FieldValue *v) {
        return !v || v->isNull() || (v->kind == FieldValue::Kind::Scalar && v->scalar.empty()) ||
               (v->kind == FieldValue::Kind::List && v->items.empty());
    };
    if (empty(current) || empty(&given))
        return empty(current) && empty(&given);
    if (current->kind == FieldValue::Kind::Nested)
        return false;
    // A list written as one scalar (`tags: a`) holds the same as `[a]`.
    const bool asList = spec.type == FieldType::List;
    if (!asList && (given.kind != FieldValue::Kind::Scalar || current->kind != given.kind))
        return false;
    const std::vector<std::string> a = given.asList(), b = current->asList();
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == b[i])
            continue;
        if (spec.vocabulary.empty())
            return false;
        const Term *x = vocab.lookup(spec.vocabulary, a[i]);
        if (!x || x != vocab.lookup(spec.vocabulary, b[i]))
            return false;
    }
    return true;
}

} // namespace kb
