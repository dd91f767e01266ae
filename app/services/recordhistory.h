#pragma once

#include "core/recorddiff.h"

#include <QJsonArray>

#include <string>
#include <vector>

namespace kb {
class Session;
struct Record;

// A record's versions in the root's git history, as `kb log` and the web's History tab
// show them: who, when, the message, and what changed since the version before.
struct RecordVersion {
    std::string commit, shortCommit;
    std::string author, email;
    std::string date; // "2026-12-02 10:15 +0800", in the author's time zone
    long long time = 0;
    std::string message;
    RecordDiff diff;      // since the version before (empty for the first)
    bool first = false;   // no earlier version: every field is new
    bool readable = true; // the file of that version parses as a record
    std::string text;
};

// Newest first, at most `limit`. False with the reason (no git work tree, a libgit2 error).
bool recordVersions(Session &s, const Record &r, std::size_t limit, std::vector<RecordVersion> *out,
                    std::string *error);

// The versions as `kb log --json` and GET /api/records/ID/history give them.
QJsonArray recordVersionsJson(const std::vector<RecordVersion> &versions);

// Writes the version whose commit id starts with `version` (4+ hex digits) back as a new
// change, through the checked write (Session::writeRecord). Returns 0 written (or already
// that version; `said` tells which), 1 no such version or the write was refused, 2 an
// ambiguous or malformed version; `said` holds the one line to show.
int restoreRecordVersion(Session &s, const Record &r, const std::string &version,
                         std::string *said);

} // namespace kb
