#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace kb {

struct Term {
    std::string id, zh, en, description;
    std::vector<std::string> aliases;
};

// Named lists of terms under `<root>/vocab/<name>.yaml` (touchpoints, principles,
// customers, competitors, regions ...). Plugins reference them by name.
class Vocabularies {
public:
    // Loads every vocab/*.yaml; problems come back as findings, good files still load.
    std::vector<Finding> load(const std::string &rootDir);

    const std::vector<Term> *get(std::string_view name) const;
    // The term whose id, zh or en label, or alias equals `value`; nullptr if none.
    const Term *lookup(std::string_view name, std::string_view value) const;
    std::vector<std::string> names() const;

private:
    std::map<std::string, std::vector<Term>, std::less<>> lists_;
};

} // namespace kb
