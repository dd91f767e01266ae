#include "services/readclearance.h"

#include "core/record.h"
#include "indexer/indexformat.h"
#include "indexer/indexschema.h"

#include <algorithm>
#include <cctype>

namespace kb {

ReadClearance::ReadClearance(const search::IndexSchema &schema)
    : restrictedTerms_{search::kBrokenTerm}
{
    for (const search::IndexedField &f : schema.fields()) {
        if (!f.spec.clearance.empty())
            restricting_.emplace_back(f.name, f.spec.clearance);
        if (!f.spec.publicValues.empty())
            publishing_.emplace_back(f.name, f.spec.publicValues);
        if (f.prefix.empty())
            continue;
        for (const std::string &value : f.spec.clearance)
            restrictedTerms_.push_back(search::booleanTerm(f.prefix, value));
        for (const std::string &value : f.spec.publicValues)
            publicTerms_.push_back(search::booleanTerm(f.prefix, value));
    }
}

bool ReadClearance::holdsAny(const Record &r, const FieldValues &fields)
{
    for (const auto &[name, values] : fields) {
        const FieldValue *v = r.field(name);
        if (!v)
            continue;
        for (std::string item : v->asList()) {
            std::transform(item.begin(), item.end(), item.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            if (std::find(values.begin(), values.end(), item) != values.end())
                return true;
        }
    }
    return false;
}

bool ReadClearance::restricts(const Record &r) const
{
    return holdsAny(r, restricting_);
}

bool ReadClearance::isPublic(const Record &r) const
{
    return holdsAny(r, publishing_) && !restricts(r);
}

bool ReadClearance::restrictingValue(const std::string &field, std::string value) const
{
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of(' ') + 1);
    for (const auto &[name, values] : restricting_)
        if (name == field && std::find(values.begin(), values.end(), value) != values.end())
            return true;
    return false;
}

bool ReadClearance::readableAt(const Record &r, ReadLevel level) const
{
    switch (level) {
    case ReadLevel::None:
        return false;
    case ReadLevel::Public:
        return isPublic(r);
    case ReadLevel::Internal:
        return !restricts(r);
    case ReadLevel::Restricted:
        return true;
    }
    return false;
}

std::vector<std::string> ReadClearance::hiddenTerms(ReadLevel level) const
{
    return level == ReadLevel::Restricted ? std::vector<std::string>{} : restrictedTerms_;
}

std::vector<std::string> ReadClearance::requiredTerms(ReadLevel level) const
{
    if (level > ReadLevel::Public)
        return {};
    // No public values anywhere: a term no record has, so that nothing is found.
    return publicTerms_.empty() ? std::vector<std::string>{"XKBNOTHINGPUBLIC"} : publicTerms_;
}

} // namespace kb
