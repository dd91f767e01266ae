#include "casesplugin.h"

QList<Kb::Issue> CasesPlugin::validate(const Kb::RecordData &record, Kb::Host &host) const
{
    QList<Kb::Issue> issues;
    // Naming a customer outside the company needs their consent and an open record.
    if (record.text(QStringLiteral("reference_status")) == QLatin1String("named") &&
        record.text(QStringLiteral("confidentiality")) == QLatin1String("restricted"))
        issues.append({QStringLiteral("reference_status"),
                       QStringLiteral("a restricted case cannot be a named external reference")});
    if (!record.text(QStringLiteral("last_verified")).isEmpty() &&
        record.text(QStringLiteral("verifier")).isEmpty())
        issues.append({QStringLiteral("verifier"),
                       QStringLiteral("last_verified is set but nobody is named as verifier")});
    if (!record.text(QStringLiteral("last_verified")).isEmpty() &&
        record.text(QStringLiteral("last_verified")) > host.today())
        issues.append(
            {QStringLiteral("last_verified"), QStringLiteral("last_verified is in the future")});
    const QString year = record.text(QStringLiteral("year"));
    if (!year.isEmpty() && (year.toInt() < 1980 || year.toInt() > host.today().left(4).toInt()))
        issues.append(
            {QStringLiteral("year"), QStringLiteral("year %1 is not plausible").arg(year)});
    return issues;
}

int CasesPlugin::runVerb(const QString &verb, const QStringList &, Kb::Host &host)
{
    host.printError(QStringLiteral("cases: unknown verb '%1'\n").arg(verb));
    return 2;
}
