#include "lifecycle.h"

namespace Lifecycle {
namespace {

QString text(const QJsonObject &f, const char *key)
{
    return f.value(QLatin1String(key)).toString().trimmed();
}

} // namespace

QStringList nextStatuses(const QString &from)
{
    if (from == QLatin1String("proposed"))
        return {"accepted", "rejected"};
    if (from == QLatin1String("accepted"))
        return {"in-progress", "rejected"};
    if (from == QLatin1String("in-progress"))
        return {"implemented", "rejected"};
    if (from == QLatin1String("implemented"))
        return {"verified", "reopened"};
    if (from == QLatin1String("verified"))
        return {"closed", "reopened"};
    if (from == QLatin1String("closed") || from == QLatin1String("rejected"))
        return {"reopened"};
    if (from == QLatin1String("reopened"))
        return {"accepted", "in-progress", "rejected"};
    return {};
}

bool isOpen(const QString &status)
{
    return status != QLatin1String("closed") && status != QLatin1String("rejected");
}

QList<Kb::Issue> check(const QJsonObject &f, const QString &today)
{
    QList<Kb::Issue> issues;
    const QString status =
        text(f, "status").isEmpty() ? QStringLiteral("proposed") : text(f, "status");
    auto need = [&](const char *field, const QString &why) {
        if (text(f, field).isEmpty())
            issues.append({QLatin1String(field), QStringLiteral("'%1' needs %2").arg(status, why)});
    };
    static const QStringList committed = {"accepted", "in-progress", "implemented", "verified",
                                          "closed"};
    if (committed.contains(status)) {
        need("owner", QStringLiteral("an owner"));
        need("due", QStringLiteral("a due date"));
    }
    if (status == QLatin1String("rejected"))
        need("rejection_reason", QStringLiteral("a rejection_reason"));
    if (status == QLatin1String("verified") || status == QLatin1String("closed")) {
        need("verification_criteria", QStringLiteral("verification_criteria"));
        need("verified_by", QStringLiteral("verified_by"));
        need("verified_on", QStringLiteral("verified_on"));
    }
    if (status == QLatin1String("closed")) {
        if (text(f, "effective") != QLatin1String("yes"))
            issues.append({QStringLiteral("effective"),
                           QStringLiteral("'closed' needs effective: yes (an ineffective fix is "
                                          "reopened, not closed)")});
        if (text(f, "source") == QLatin1String("customer-complaint"))
            need("customer_informed",
                 QStringLiteral("customer_informed (the date the customer heard back)"));
    }
    const QString verifiedOn = text(f, "verified_on");
    if (!verifiedOn.isEmpty() && verifiedOn > today)
        issues.append(
            {QStringLiteral("verified_on"), QStringLiteral("verified_on is in the future")});
    if (isOverdue(f, today))
        issues.append(
            {QStringLiteral("due"),
             QStringLiteral("overdue since %1 (status %2, owner %3)")
                 .arg(text(f, "due"), status,
                      text(f, "owner").isEmpty() ? QStringLiteral("none") : text(f, "owner")),
             true});
    if (status == QLatin1String("implemented") && text(f, "verified_on").isEmpty())
        issues.append(
            {QStringLiteral("status"), QStringLiteral("implemented but not yet verified"), true});
    return issues;
}

bool isOverdue(const QJsonObject &f, const QString &today)
{
    const QString due = text(f, "due");
    const QString status = text(f, "status");
    return !due.isEmpty() && due < today &&
           isOpen(status.isEmpty() ? QStringLiteral("proposed") : status);
}

} // namespace Lifecycle
