#include "core/recorddiff.h"

#include "core/record.h"
#include "core/schema.h"
#include "core/store.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace kb {

namespace {

std::string shown(const FieldValue *v)
{
    if (!v || v->isNull())
        return {};
    std::string out;
    for (const std::string &item : v->asList())
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        out.push_back(line);
    }
    return out;
}

// Lines only one side has, counted as a multiset difference: cheap, linear, and what a
// reader wants to know of a body edit ("+3 −1"), not an alignment.
void countLines(const std::string &before, const std::string &after, int *added, int *removed)
{
    std::map<std::string, int> balance;
    for (const std::string &l : lines(before))
        --balance[l];
    for (const std::string &l : lines(after))
        ++balance[l];
    for (const auto &[line, n] : balance) {
        if (n > 0)
            *added += n;
        else
            *removed -= n;
    }
}

} // namespace

RecordDiff diffRecords(const Record *before, const Record &after, bool withAutomatic)
{
    RecordDiff d;
    const auto keep = [&](const std::string &key) {
        if (withAutomatic)
            return true;
        for (const FieldSpec &f : commonFields())
            if (f.name == key)
                return !f.automatic;
        return true;
    };
    std::set<std::string> seen;
    for (const auto &[key, value] : after.fields) {
        seen.insert(key);
        const std::string now = shown(&value);
        const std::string was = before ? shown(before->field(key)) : std::string();
        if (now != was && keep(key))
            d.fields.push_back({key, was, now});
    }
    if (before)
        for (const auto &[key, value] : before->fields)
            if (!seen.count(key) && keep(key) && !shown(&value).empty())
                d.fields.push_back({key, shown(&value), ""});
    countLines(before ? before->body : std::string(), after.body, &d.linesAdded, &d.linesRemoved);
    return d;
}

std::string describeChange(const Record *before, const Record &after)
{
    const std::string type = after.type().empty() ? std::string("note") : after.type();
    std::string out = type + " " + Store::effectiveId(after) + ": ";
    if (!before)
        return out + "filed";
    const RecordDiff d = diffRecords(before, after);
    if (d.empty())
        return out + "saved unchanged";
    std::string parts;
    for (const FieldChange &c : d.fields) {
        const auto brief = [](const std::string &s) {
            if (s.empty())
                return std::string("(none)");
            if (s.size() <= 60)
                return s;
            std::size_t cut = 57; // never inside a UTF-8 sequence
            while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
                --cut;
            return s.substr(0, cut) + "...";
        };
        parts +=
            (parts.empty() ? "" : ", ") + c.field + " " + brief(c.before) + " → " + brief(c.after);
    }
    if (d.bodyChanged())
        parts += (parts.empty() ? "" : ", ") + std::string("body +") +
                 std::to_string(d.linesAdded) + " −" + std::to_string(d.linesRemoved);
    return out + parts;
}

} // namespace kb
