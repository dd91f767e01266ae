#include "services/readclearance.h"

#include "core/record.h"
#include "indexer/indexformat.h"
#include "indexer/indexschema.h"

#include <algorithm>
#include <cctype>

namespace kb {

ReadClearance::ReadClearance(const search::IndexSchema &schema) : hiddenTerms_{search::kBrokenTerm}
{
    for (const search::IndexedField &f : schema.fields()) {
        if (f.spec.clearance.empty())
            continue;
        fields_.emplace_back(f.name, f.spec.clearance);
        if (!f.prefix.empty())
            for (const std::string &value : f.spec.clearance)
                hiddenTerms_.push_back(search::booleanTerm(f.prefix, value));
    }
}

bool ReadClearance::restricts(const Record &r) const
{
    for (const auto &[name, values] : fields_) {
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

} // namespace kb
