#pragma once

#include <string>
#include <vector>

namespace kb {
struct Record;

// What changed between two versions of a record: its front matter key by key (values as
// shown, lists joined by ", "; "" when absent) and its body by lines. The history's
// commit messages and `kb log` say it in these words.
struct FieldChange {
    std::string field, before, after;
};

struct RecordDiff {
    std::vector<FieldChange> fields; // in the newer version's key order, then removed keys
    int linesAdded = 0, linesRemoved = 0;
    bool bodyChanged() const { return linesAdded > 0 || linesRemoved > 0; }
    bool empty() const { return fields.empty() && !bodyChanged(); }
};

// `before` may be null (the record is new). Keys the host keeps itself (updated,
// updated_by) are left out when `withAutomatic` is false.
RecordDiff diffRecords(const Record *before, const Record &after, bool withAutomatic = false);

// One line: "improvement imp-20240101-x: status accepted → in-progress, body +3 −1", or
// "lesson les-…: filed" for a new one.
std::string describeChange(const Record *before, const Record &after);

} // namespace kb
