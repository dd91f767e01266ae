#include "core/schema.h"

#include <algorithm>

#include <array>
#include <utility>

namespace kb {

bool FieldSpec::isEnumLike() const
{
    return type == FieldType::Enum || (type == FieldType::List && itemType == FieldType::Enum);
}

bool FieldSpec::isDateLike() const
{
    return type == FieldType::Date || (type == FieldType::List && itemType == FieldType::Date);
}

bool FieldSpec::isReferenceLike() const
{
    return type == FieldType::Reference ||
           (type == FieldType::List && itemType == FieldType::Reference);
}

const FieldSpec *TypeSchema::find(std::string_view name) const
{
    for (const auto &f : fields)
        if (f.name == name)
            return &f;
    for (const auto &f : commonFields())
        if (f.name == name)
            return &f;
    return nullptr;
}

bool TypeSchema::isClosed(const std::vector<std::pair<std::string, std::string>> &values) const
{
    for (const FieldSpec &f : fields) {
        if (f.closed.empty())
            continue;
        for (const auto &[name, value] : values)
            if (name == f.name &&
                std::find(f.closed.begin(), f.closed.end(), value) != f.closed.end())
                return true;
    }
    return false;
}

const std::vector<FieldSpec> &commonFields()
{
    static const std::vector<FieldSpec> fields = [] {
        // Their index prefixes are the index format's (indexer/indexformat.h).
        auto make = [](std::string name, FieldType type, bool required, std::string zh,
                       std::string en) {
            FieldSpec f;
            f.name = std::move(name);
            f.type = type;
            f.required = required;
            f.labelZh = std::move(zh);
            f.labelEn = std::move(en);
            return f;
        };
        std::vector<FieldSpec> v;
        v.push_back(make("id", FieldType::String, true, "编号", "ID"));
        v.push_back(make("type", FieldType::String, true, "类型", "Type"));
        v.push_back(make("title", FieldType::String, true, "标题", "Title"));
        v.push_back(make("date", FieldType::Date, true, "日期", "Date"));
        FieldSpec tags = make("tags", FieldType::List, false, "标签", "Tags");
        tags.filter = tags.facet = true;
        v.push_back(tags);
        v.push_back(make("updated", FieldType::Date, false, "更新", "Updated"));
        // Who made the last change through kb (the git identity or $USER on the CLI).
        v.push_back(make("updated_by", FieldType::Person, false, "更新人", "Updated by"));
        v[5].automatic = v[6].automatic = true;
        v[1].filter = v[1].facet = true;
        v[3].sort = v[3].filter = true;
        return v;
    }();
    return fields;
}

bool isCommonField(std::string_view name)
{
    for (const auto &f : commonFields())
        if (f.name == name)
            return true;
    return false;
}

namespace {
constexpr std::array<std::pair<FieldType, std::string_view>, 9> kTypeNames{{
    {FieldType::String, "string"},
    {FieldType::Text, "text"},
    {FieldType::Enum, "enum"},
    {FieldType::Date, "date"},
    {FieldType::List, "list"},
    {FieldType::Person, "person"},
    {FieldType::Reference, "reference"},
    {FieldType::Number, "number"},
    {FieldType::Bool, "bool"},
}};
} // namespace

std::string_view fieldTypeName(FieldType t)
{
    for (const auto &[type, name] : kTypeNames)
        if (type == t)
            return name;
    return "string";
}

bool parseFieldType(std::string_view name, FieldType *out)
{
    for (const auto &[type, n] : kTypeNames)
        if (n == name) {
            *out = type;
            return true;
        }
    return false;
}

bool isIsoDate(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9')
            return false;
    int y = std::stoi(std::string(s.substr(0, 4)));
    int m = std::stoi(std::string(s.substr(5, 2)));
    int d = std::stoi(std::string(s.substr(8, 2)));
    if (m < 1 || m > 12 || d < 1)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = days[m - 1] + (m == 2 && leap ? 1 : 0);
    return d <= max;
}

} // namespace kb
