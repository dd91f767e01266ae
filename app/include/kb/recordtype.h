// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QtPlugin>

#include <kb/host.h>
#include <kb/issue.h>
#include <kb/version.h>

namespace Kb {
// The interface every record-type plugin implements. The schema (fields, labels,
// template sections, verbs) lives in the plugin's JSON manifest, which the host reads
// without loading code; this class carries only what a declaration cannot say.
// Frozen once released: new capabilities come as new interfaces, never new virtuals.
class RecordType {
public:
    virtual ~RecordType() = default;

    // Cross-field rules beyond the schema (the host already checked types, required
    // fields, enums and dates). Return one Issue per problem; never throw.
    virtual QList<Issue> validate(const RecordData &record, Host &host) const = 0;

    // Runs a verb declared in the manifest ("Verbs"), e.g. `kb improvements status ...`.
    // Returns the process exit code: 0 ok, 1 findings, 2 usage error.
    virtual int runVerb(const QString &verb, const QStringList &args, Host &host) = 0;
};
} // namespace Kb

Q_DECLARE_INTERFACE(Kb::RecordType, KB_RECORDTYPE_IID)
