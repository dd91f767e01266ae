#include "services/recordhistory.h"

#include "core/record.h"
#include "core/recordedit.h"
#include "services/githistory.h"
#include "services/qtstring.h"
#include "services/session.h"

#include <QJsonObject>

#include <cstdio>
#include <ctime>

namespace kb {

namespace {

std::string when(const GitHistory::Version &v)
{
    const std::time_t t = static_cast<std::time_t>(v.time + v.offsetMinutes * 60LL);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    const int off = v.offsetMinutes < 0 ? -v.offsetMinutes : v.offsetMinutes;
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d%02d", v.offsetMinutes < 0 ? '-' : '+', off / 60,
                  off % 60);
    return std::string(buf) + " " + zone;
}

} // namespace

bool recordVersions(Session &s, const Record &r, std::size_t limit, std::vector<RecordVersion> *out,
                    std::string *error)
{
    GitHistory *history = s.history(error);
    if (!history)
        return false;
    // One more than shown: the oldest shown is compared with the one before it.
    const std::vector<GitHistory::Version> all = history->versions(r.path, limit + 1, error);
    if (!error->empty())
        return false;
    for (std::size_t i = 0; i < all.size() && i < limit; ++i) {
        const GitHistory::Version &v = all[i];
        RecordVersion rv;
        rv.commit = v.commit;
        rv.shortCommit = v.commit.substr(0, 7);
        rv.author = v.author;
        rv.email = v.email;
        rv.date = when(v);
        rv.time = v.time;
        rv.message = v.message;
        rv.text = v.text;
        const ParseResult now = parseRecord(r.path, v.text);
        std::optional<ParseResult> before;
        if (i + 1 < all.size())
            before = parseRecord(r.path, all[i + 1].text);
        rv.first = i + 1 == all.size();
        rv.readable = now.record.has_value();
        if (now.record)
            rv.diff =
                diffRecords(before && before->record ? &*before->record : nullptr, *now.record);
        out->push_back(std::move(rv));
    }
    return true;
}

QJsonArray recordVersionsJson(const std::vector<RecordVersion> &versions)
{
    QJsonArray out;
    for (const RecordVersion &v : versions) {
        QJsonArray changes;
        for (const FieldChange &c : v.diff.fields)
            changes.append(
                QJsonObject{{"field", q(c.field)}, {"before", q(c.before)}, {"after", q(c.after)}});
        out.append(QJsonObject{
            {"version", q(v.commit)},
            {"short", q(v.shortCommit)},
            {"author", q(v.author)},
            {"email", q(v.email)},
            {"date", q(v.date)},
            {"time", qint64(v.time)},
            {"message", q(v.message)},
            {"first", v.first},
            {"changes", changes},
            {"body", QJsonObject{{"added", v.diff.linesAdded}, {"removed", v.diff.linesRemoved}}}});
    }
    return out;
}

int restoreRecordVersion(Session &s, const Record &r, const std::string &version, std::string *said)
{
    if (version.size() < 4 || version.find_first_not_of("0123456789abcdef") != std::string::npos) {
        *said = "VERSION is a commit id of at least 4 hex digits, as the history shows it";
        return 2;
    }
    std::vector<RecordVersion> versions;
    std::string error;
    if (!recordVersions(s, r, 100000, &versions, &error)) {
        *said = error;
        return 1;
    }
    const RecordVersion *found = nullptr;
    for (const RecordVersion &v : versions)
        if (v.commit.compare(0, version.size(), version) == 0) {
            if (found) {
                *said = "'" + version + "' names more than one version; give more of its digits";
                return 2;
            }
            found = &v;
        }
    if (!found) {
        *said = r.path + " has no version '" + version + "'";
        return 1;
    }
    std::string text = found->text, dated;
    if (editRecordText(text, {{"updated", s.today()}}, "", &dated, &error))
        text = std::move(dated);
    if (text == r.text) {
        *said = r.path + " is already that version";
        return 0;
    }
    s.describeNextWrite("restored " + found->shortCommit + " of " + found->date.substr(0, 10) +
                        " by " + found->author);
    if (!s.writeRecord(r.path, text, false, &r.text, &error)) {
        s.describeNextWrite({}); // not carried over to another write
        *said = error;
        return 1;
    }
    *said = r.path + ": restored " + found->shortCommit + " (" + found->date + ", " +
            found->author + ")";
    return 0;
}

} // namespace kb
