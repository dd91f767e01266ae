// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <kb/recorddata.h>

namespace Kb {
// Services the host gives a plugin while it runs a verb or a rule. Owned by the host;
// valid only during the call that received it.
class Host {
public:
    virtual ~Host() = default;

    // Every valid record of the given type (`type:` value), in path order.
    virtual QList<RecordData> records(const QString &type) const = 0;
    // One record by id; false if unknown.
    virtual bool record(const QString &id, RecordData *out) const = 0;
    // Sets front matter keys (values: string, bool, number or array of strings) and
    // appends Markdown to the end of the body, keeping every other byte of the file.
    // Written atomically and re-indexed. Returns false with a reason on failure.
    virtual bool updateRecord(const QString &id, const QJsonObject &set,
                              const QString &appendToBody, QString *error) = 0;
    // Today's date as YYYY-MM-DD (KB_TODAY overrides it, for reproducible reports).
    virtual QString today() const = 0;
    // Label of a vocabulary entry in the given language ("zh" or "en"); the id if unknown.
    virtual QString vocabularyLabel(const QString &vocabulary, const QString &id,
                                    const QString &lang) const = 0;
    // Ids of a vocabulary's entries, in file order (empty if it does not exist).
    virtual QStringList vocabularyIds(const QString &vocabulary) const = 0;
    // Output for verbs: stdout and stderr of the `kb` process.
    virtual void print(const QString &text) = 0;
    virtual void printError(const QString &text) = 0;
    // True when stdout is a terminal (verbs may use colour then).
    virtual bool isTerminal() const = 0;
    // A record type's schema as the host read its manifest: {"type", "plugin", "label",
    // "folder", "fields": [{"name", "type", "required", "label", "values", "vocabulary",
    // "default", ...}], "sections"}, the same as GET /api/schema gives per type; empty
    // when no loaded plugin has the type. A plugin reads its own fields' values and
    // labels here rather than repeating its manifest in code. (Last in the table, so a
    // plugin built before it existed still loads.)
    virtual QJsonObject recordTypeSchema(const QString &type) const = 0;
    // Who the current command or web request is by (the name `updated_by` gets): for a
    // log line a verb appends ("- 2026-12-02 王磊: accepted → in-progress").
    virtual QString userName() const = 0;
};
} // namespace Kb
