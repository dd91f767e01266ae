#include "indexer/indexschema.h"

#include "core/vocabulary.h"
#include "indexer/conceptterms.h"
#include "indexer/impactweight.h"
#include "indexer/lexicon.h"
#include "indexer/textanalysis.h"

#include <algorithm>
#include <functional>

namespace kb::search {

// Bump when the analysis or the document layout changes.

std::string termPrefix(const std::string &declared)
{
    if (declared.size() <= 1)
        return declared;
    return declared + ":";
}

std::string booleanTerm(const std::string &prefix, std::string_view value)
{
    std::string term = prefix + foldText(value);
    while (!term.empty() && (term.back() == ' '))
        term.pop_back();
    if (term.size() > kMaxTermBytes) {
        // Cut on a character boundary; such values are never typed by hand anyway.
        std::size_t cut = kMaxTermBytes;
        while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80)
            --cut;
        term.resize(cut);
    }
    return term;
}

IndexSchema IndexSchema::build(const std::vector<const TypeSchema *> &types,
                               const Vocabularies &vocab)
{
    IndexSchema s;
    s.vocab_ = &vocab;
    s.concepts_ = std::make_shared<const ConceptTerms>(synonymGroups(vocab));
    std::string sig = std::string(kIndexFormat) + "|" + impactSignature();
    for (const FieldSpec &f : commonFields()) {
        IndexedField field;
        field.name = f.name;
        field.spec = f;
        field.prefix = termPrefix(commonFieldPrefix(f.name));
        field.spec.prefix = commonFieldPrefix(f.name);
        if (f.name == "date")
            field.slot = kSlotDate;
        s.fields_.push_back(field);
    }
    std::map<std::string, FieldSpec> pluginFields; // by name: the host refuses conflicts
    for (const TypeSchema *t : types) {
        s.types_.emplace(t->type, t);
        sig += "|type:" + t->type;
        for (const SectionSpec &sec : t->sections) // template headings are not indexed
            sig += "/" + sec.zh + "/" + sec.en;
        for (const FieldSpec &f : t->fields) {
            auto [known, added] = pluginFields.emplace(f.name, f);
            if (added)
                continue;
            // Another type's field of the same name ("kind" of lessons and of intel): a
            // query on it may name the values of either.
            for (const std::string &v : f.values)
                if (std::find(known->second.values.begin(), known->second.values.end(), v) ==
                    known->second.values.end())
                    known->second.values.push_back(v);
            known->second.valueLabels.insert(f.valueLabels.begin(), f.valueLabels.end());
            // A declaration without a prefix shares the other's (the host allows no two
            // different ones), whichever plugin came first on the path.
            if (known->second.prefix.empty())
                known->second.prefix = f.prefix;
            known->second.filter = known->second.filter || f.filter;
            known->second.facet = known->second.facet || f.facet;
            known->second.sort = known->second.sort || f.sort;
            // Fail closed: a value any type restricts is restricted in every type.
            for (const std::string &v : f.clearance)
                if (std::find(known->second.clearance.begin(), known->second.clearance.end(), v) ==
                    known->second.clearance.end())
                    known->second.clearance.push_back(v);
        }
    }
    SlotNumber nextSlot = kFirstFieldSlot;
    for (auto &[name, spec] : pluginFields) {
        IndexedField field;
        field.name = name;
        field.spec = spec;
        field.prefix = termPrefix(spec.prefix);
        field.facet = spec.facet;
        if (spec.isDateLike() || spec.sort)
            field.slot = nextSlot++;
        field.freeText = spec.type == FieldType::String || spec.type == FieldType::Text ||
                         spec.type == FieldType::Person || !spec.vocabulary.empty() ||
                         (spec.type == FieldType::List && spec.itemType != FieldType::Reference &&
                          spec.itemType != FieldType::Date);
        s.fields_.push_back(field);
    }
    s.facets_ = {"type", "year"};
    for (const IndexedField &f : s.fields_)
        if (f.facet || (f.spec.facet && f.name != "type")) {
            if (std::find(s.facets_.begin(), s.facets_.end(), f.name) == s.facets_.end())
                s.facets_.push_back(f.name);
        }
    for (const IndexedField &f : s.fields_)
        sig += "|" + f.name + ":" + f.prefix + ":" + std::string(fieldTypeName(f.spec.type)) + ":" +
               std::to_string(f.slot) + ":" + f.spec.vocabulary + (f.freeText ? ":t" : "");
    // Vocabulary labels are indexed as text, so a changed vocabulary means a rebuild.
    std::string vocabText;
    for (const std::string &name : vocab.names())
        for (const Term &t : *vocab.get(name)) {
            vocabText += name + "\x1f" + t.id + "\x1f" + t.zh + "\x1f" + t.en;
            for (const auto &a : t.aliases)
                vocabText += "\x1f" + a;
            vocabText += "\x1e";
        }
    sig += "|vocab:" + std::to_string(stableHash(vocabText));
    s.signature_ = sig;
    return s;
}

const IndexedField *IndexSchema::field(std::string_view name) const
{
    for (const IndexedField &f : fields_)
        if (f.name == name)
            return &f;
    return nullptr;
}

const TypeSchema *IndexSchema::type(std::string_view type) const
{
    auto it = types_.find(type);
    return it == types_.end() ? nullptr : it->second;
}

std::vector<std::string> IndexSchema::typeNames() const
{
    std::vector<std::string> names;
    for (const auto &[name, t] : types_)
        names.push_back(name);
    return names;
}

} // namespace kb::search
