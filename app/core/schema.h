#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

enum class FieldType { String, Text, Enum, Date, List, Person, Reference, Number, Bool };

// One front matter field as a plugin declares it in its manifest.
struct FieldSpec {
    std::string name;
    FieldType type = FieldType::String;
    FieldType itemType = FieldType::String; // element type when type == List
    bool required = false;
    std::string defaultValue;
    std::vector<std::string> values; // fixed enum values
    // How the web shows enum values: "proposed" -> {"已提出", "Proposed"}.
    std::map<std::string, std::pair<std::string, std::string>> valueLabels;
    std::string vocabulary; // or a named vocabulary of the content root
    std::string prefix;     // Xapian term prefix, e.g. "XSTATUS"
    // Values that make a record readable only by cleared readers ("Clearance":
    // ["restricted"] on confidentiality): the host's access layer enforces it everywhere.
    std::vector<std::string> clearance;
    // Values that make a record readable by anyone, signed in or not ("Public": ["public"]
    // on confidentiality): what a server whose `anonymous` is read-public shows strangers.
    std::vector<std::string> publicValues;
    // Values meaning the record's work is done ("Closed" on an improvement's status): a
    // recurrence check marks such a record, asking whether it was effective.
    std::vector<std::string> closed;
    bool filter = false, sort = false, facet = false;
    // Kept by the host on every write (updated, updated_by): not typed in a form, not a
    // change of its own in a diff.
    bool automatic = false;
    std::string labelZh, labelEn, help;
    bool labelGiven = false; // the manifest gave a Label (else a shared field takes one)

    bool isEnumLike() const;      // enum, or list of enum
    bool isDateLike() const;      // date, or list of date
    bool isReferenceLike() const; // reference, or list of references
};

struct SectionSpec {
    std::string zh, en;
};

struct VerbSpec {
    std::string name, args, description;
    bool global = false; // also reachable as `kb NAME ...` (reports such as `kb brief`)
};

// A parameter the web asks for before running a view's verb: a value from a vocabulary,
// passed after `flag` (or as a bare argument when flag is empty).
struct ViewParam {
    std::string flag, vocabulary;
    std::string labelZh, labelEn;
};

// A page a plugin contributes to `kb serve`, drawn by the host from its verb's output:
//   markdown  the verb prints Markdown (a brief, a battlecard)
//   journey   the verb prints JSON stations [{touchpoint, query, zh, en, counts:[{key, zh, en,
//             count, query}]}]: each station and count links to its query
//   board     the verb prints JSON {field, columns, cards}; `move` is the verb that moves a
//             card: MOVE ID NEW_VALUE --note TEXT
struct ViewSpec {
    std::string name, kind, verb, move;
    // A board's column field ("Field": "status"): changed only by moving a card through
    // `move`, so that a form cannot skip the plugin's rules or the right to move.
    std::string field;
    // A board's columns whose cards are finished ("Done": ["closed", "rejected"]): folded
    // on the page and left out of its calendar. Default: the field's "Closed" values.
    std::vector<std::string> done;
    std::vector<std::string> args; // fixed arguments before the parameters
    std::vector<ViewParam> params;
    // Appended when the reader may see restricted records (loopback, or the token).
    std::string restrictedFlag;
    std::string labelZh, labelEn;
};

// A record type: everything the host derives validation, templates, index mapping,
// CLI options and forms from.
struct TypeSchema {
    bool hasRecords = true; // false for plugins that only add verbs and reports
    std::string pluginId;   // "lessons"
    std::string type;       // value of `type:` in records, "lesson"
    std::string idPrefix;   // "les"
    std::string folder;     // where `kb new` files records, relative to the root
    std::string labelZh, labelEn;
    std::vector<FieldSpec> fields; // type-specific fields (common keys are the host's)
    std::vector<SectionSpec> sections;
    std::vector<VerbSpec> verbs;
    std::vector<ViewSpec> views;
    // Record types the plugin's verbs read ("Requires"): without them it is not loaded.
    std::vector<std::string> requiredTypes;
    // "Messages": the Chinese of the English its rules and verbs write, as patterns
    // ({"en": "overdue since {}", "zh": "自 {0} 起逾期"}) for kb serve's Chinese pages.
    std::vector<std::pair<std::string, std::string>> messagesZh;

    const FieldSpec *find(std::string_view name) const;
    // Whether a record of this type with these field values is closed (see FieldSpec).
    bool isClosed(const std::vector<std::pair<std::string, std::string>> &values) const;
};

// Keys every record has (design.md): id, type, title, date, tags, updated.
const std::vector<FieldSpec> &commonFields();
bool isCommonField(std::string_view name);

std::string_view fieldTypeName(FieldType t);
bool parseFieldType(std::string_view name, FieldType *out);

// YYYY-MM-DD with a real calendar day.
bool isIsoDate(std::string_view s);

} // namespace kb
