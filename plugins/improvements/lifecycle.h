#pragma once

#include <kb/issue.h>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// The closed loop of an improvement proposal: which status may follow which, and what a
// record must hold to be in a status. Pure functions, so the CLI verb, `kb check` and
// the web board apply the very same rules.
namespace Lifecycle {

// Statuses a proposal may move to from `from`.
QStringList nextStatuses(const QString &from);
bool isOpen(const QString &status); // not closed and not rejected

// Problems that keep a record from being in its current status (missing owner,
// verification, customer feedback ...). `today` is YYYY-MM-DD.
QList<Kb::Issue> check(const QJsonObject &fields, const QString &today);

// Overdue: due before today while still open.
bool isOverdue(const QJsonObject &fields, const QString &today);

} // namespace Lifecycle
