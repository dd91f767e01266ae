#include "lessonsplugin.h"

QList<Kb::Issue> LessonsPlugin::validate(const Kb::RecordData &record, Kb::Host &host) const
{
    QList<Kb::Issue> issues;
    const QString occurred = record.text(QStringLiteral("occurred"));
    const QString filed = record.text(QStringLiteral("date"));
    // ISO dates compare as strings.
    if (!occurred.isEmpty() && !filed.isEmpty() && occurred > filed)
        issues.append(
            {QStringLiteral("occurred"),
             QStringLiteral("occurred (%1) is after the filing date (%2)").arg(occurred, filed)});
    if (!occurred.isEmpty() && occurred > host.today())
        issues.append({QStringLiteral("occurred"),
                       QStringLiteral("occurred (%1) is in the future").arg(occurred)});
    return issues;
}

int LessonsPlugin::runVerb(const QString &verb, const QStringList &, Kb::Host &host)
{
    host.printError(QStringLiteral("lessons: unknown verb '%1'\n").arg(verb));
    return 2;
}
