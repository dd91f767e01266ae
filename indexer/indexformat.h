#pragma once

// The index's on-disk format in one table: every term prefix, value slot and metadata key
// kb writes, with its meaning (as notmuch documents its database at the top of
// lib/database.cc). Nothing else in kb spells a prefix, a slot or a key.
//
// An index records kIndexFormat inside its signature (metadata kSignatureMetadataKey).
// When the running kb's format, schemas, vocabularies or analysis differ from what the
// index was built with, the next sync rebuilds it from the files and `kb index` says why
// ("the index was built with other schemas, vocabularies or analysis settings"); nothing
// is ever answered from an index of another format.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

// Bump on any change below, or to how terms are derived from text.
// 11: the stable hash below for long paths and concept ids (was std::hash).
inline constexpr const char *kIndexFormat = "kb-index-11";

// Term prefixes. Single capitals are Xapian's convention for the host's own terms;
// plugins' field prefixes are upper-case words starting with X, followed by ':'.
namespace prefix {
inline constexpr const char *kId = "Q";              // boolean, unique: the record's id
inline constexpr const char *kPath = "P";            // boolean, unique: the file, relative path
                                                     //   ("P#<hash><tail>" when too long)
inline constexpr const char *kDay = "D";             // boolean: `date` as YYYYMMDD
inline constexpr const char *kMonth = "M";           // boolean: `date` as YYYYMM
inline constexpr const char *kYear = "Y";            // boolean: `date` as YYYY
inline constexpr const char *kTag = "K";             // boolean: each of `tags`
inline constexpr const char *kTitle = "S";           // positional: the words of `title`
inline constexpr const char *kStem = "Z";            // free text: an English word's stem
inline constexpr const char *kType = "XTYPE:";       // boolean: `type`
inline constexpr const char *kUpdated = "XUPDATED:"; // boolean: `updated` as YYYYMMDD
inline constexpr const char *kConcept = "XG:";       // free text: a glossary or vocabulary entry
                                                     //   any of whose forms occurs
} // namespace prefix

// Boolean term of a file whose front matter did not parse: only cleared readers find it.
inline constexpr const char *kBrokenTerm = "XBROKEN:1";

// Multi-letter prefixes (without their ':') that no plugin field may take.
inline const std::vector<std::string> &hostPrefixes()
{
    static const std::vector<std::string> names = {"XTYPE", "XUPDATED", "XG", "XBROKEN"};
    return names;
}

// The prefix of a common key's boolean terms (id, type, title, date, tags, updated).
inline const char *commonFieldPrefix(std::string_view name)
{
    if (name == "id")
        return prefix::kId;
    if (name == "type")
        return "XTYPE";
    if (name == "title")
        return prefix::kTitle;
    if (name == "date")
        return prefix::kDay;
    if (name == "tags")
        return prefix::kTag;
    if (name == "updated")
        return "XUPDATED";
    return "";
}

// Value slots. Slots from kFirstFieldSlot on hold the date and sort fields of the plugin
// schemas, numbered in field-name order (the numbering is part of the signature).
using SlotNumber = unsigned; // Xapian::valueno
inline constexpr SlotNumber kNoSlot = SlotNumber(-1);
enum Slot : SlotNumber {
    kSlotPath = 0,      // the file's relative path
    kSlotSignature = 1, // "mtime:size" of the file as indexed ("0:size": racily clean)
    kSlotDate = 2,      // `date` as YYYYMMDD, for sorting and ranges
    kSlotFacets = 3,    // every facet value of the document, packed (FacetCodes)
    kFirstFieldSlot = 10,
};

// Metadata keys.
inline constexpr const char *kSignatureMetadataKey = "kb.signature"; // format + schemas + ...
inline constexpr const char *kScanDigestMetadataKey = "kb.scan";     // digest of the files seen
inline constexpr const char *kFacetCodesMetadataKey = "kb.facets";   // facet value numbering
inline constexpr const char *kReferenceLengthMetadataKey = "kb.reflength"; // ranking's length

// The hash of anything stored in the index or its signature: FNV-1a 64, fixed by its
// definition (std::hash is not, and may differ between compilers and versions).
inline std::uint64_t stableHash(std::string_view text)
{
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace kb::search
