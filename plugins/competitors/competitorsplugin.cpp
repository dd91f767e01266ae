#include "competitorsplugin.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace {

// A record's value as text inside the Markdown this plugin prints (never as syntax).
QString md(const Kb::RecordData &r, const QString &key)
{
    return Kb::markdownText(r.text(key));
}

} // namespace

QList<Kb::Issue> CompetitorsPlugin::validate(const Kb::RecordData &record, Kb::Host &host) const
{
    QList<Kb::Issue> issues;
    // Intel obtained by unlawful means is not filed at all (SCIP code of ethics).
    const QJsonValue lawful = record.fields.value(QStringLiteral("lawful_source"));
    if (lawful.isBool() && !lawful.toBool())
        issues.append(
            {QStringLiteral("lawful_source"),
             QStringLiteral("intel must come from a lawful source; do not file it otherwise")});
    const QString observed = record.text(QStringLiteral("observed")),
                  validUntil = record.text(QStringLiteral("valid_until"));
    if (!observed.isEmpty() && !validUntil.isEmpty() && validUntil < observed)
        issues.append(
            {QStringLiteral("valid_until"), QStringLiteral("valid_until is before observed")});
    if (!observed.isEmpty() && observed > host.today())
        issues.append({QStringLiteral("observed"), QStringLiteral("observed is in the future")});
    if (record.text(QStringLiteral("claim")) == QLatin1String("fact") &&
        (record.text(QStringLiteral("reliability")) == QLatin1String("F") ||
         record.text(QStringLiteral("credibility")) == QLatin1String("6")))
        issues.append(
            {QStringLiteral("claim"),
             QStringLiteral("a fact needs a graded source (reliability/credibility not F/6)")});
    if (!validUntil.isEmpty() && validUntil < host.today())
        issues.append({QStringLiteral("valid_until"),
                       QStringLiteral("stale since %1: re-verify or let it retire").arg(validUntil),
                       true});
    return issues;
}

int CompetitorsPlugin::runVerb(const QString &verb, const QStringList &args, Kb::Host &host)
{
    if (verb == QLatin1String("card"))
        return battlecard(args, host);
    host.printError(QStringLiteral("competitors: unknown verb '%1'\n").arg(verb));
    return 2;
}

int CompetitorsPlugin::battlecard(const QStringList &args, Kb::Host &host)
{
    QString name;
    bool json = false, includeRestricted = false;
    for (const QString &a : args) {
        if (a == QLatin1String("--json"))
            json = true;
        else if (a == QLatin1String("--include-restricted"))
            includeRestricted = true;
        else if (a == QLatin1String("--help")) {
            host.print(QStringLiteral(
                "Usage: kb competitors card NAME [--json] [--include-restricted]\n\nAll intel "
                "on one competitor (id, Chinese or English name), newest first; intel past its "
                "valid_until is marked STALE. Restricted intel is counted, not shown, unless "
                "--include-restricted is given.\n"));
            return 0;
        } else if (a.startsWith(QLatin1String("--"))) {
            host.printError(QStringLiteral("kb competitors card: unknown option '%1'\n").arg(a));
            return 2;
        } else if (name.isEmpty())
            name = a;
        else
            name += QLatin1Char(' ') + a;
    }
    if (name.isEmpty()) {
        host.printError(QStringLiteral("kb competitors card: which competitor?\n"));
        return 2;
    }
    const QString wanted =
        host.vocabularyLabel(QStringLiteral("competitors"), name, QStringLiteral("en"));
    QList<Kb::RecordData> intel;
    int withheld = 0;
    for (const auto &r : host.records(QStringLiteral("intel"))) {
        if (host.vocabularyLabel(QStringLiteral("competitors"),
                                 r.text(QStringLiteral("competitor")),
                                 QStringLiteral("en")) != wanted)
            continue;
        if (!includeRestricted &&
            r.text(QStringLiteral("confidentiality")) == QLatin1String("restricted"))
            ++withheld;
        else
            intel.append(r);
    }
    std::sort(intel.begin(), intel.end(), [](const Kb::RecordData &a, const Kb::RecordData &b) {
        return a.text(QStringLiteral("observed")) > b.text(QStringLiteral("observed"));
    });
    const QString today = host.today();
    auto stale = [&](const Kb::RecordData &r) {
        return !r.text(QStringLiteral("valid_until")).isEmpty() &&
               r.text(QStringLiteral("valid_until")) < today;
    };
    if (json) {
        QJsonArray arr;
        for (const auto &r : intel)
            arr.append(QJsonObject{{"id", r.id},
                                   {"title", r.text(QStringLiteral("title"))},
                                   {"kind", r.text(QStringLiteral("kind"))},
                                   {"observed", r.text(QStringLiteral("observed"))},
                                   {"valid_until", r.text(QStringLiteral("valid_until"))},
                                   {"grade", r.text(QStringLiteral("reliability")) +
                                                 r.text(QStringLiteral("credibility"))},
                                   {"claim", r.text(QStringLiteral("claim"))},
                                   {"audience", r.text(QStringLiteral("audience"))},
                                   {"stale", stale(r)},
                                   {"path", r.path}});
        host.print(QString::fromUtf8(
            QJsonDocument(
                QJsonObject{{"competitor", wanted}, {"intel", arr}, {"withheld", withheld}})
                .toJson()));
        return intel.isEmpty() ? 1 : 0;
    }
    if (intel.isEmpty() && withheld == 0) {
        host.printError(QStringLiteral("no intel on '%1'\n").arg(name));
        return 1;
    }
    const QString zh =
        host.vocabularyLabel(QStringLiteral("competitors"), name, QStringLiteral("zh"));
    QString out = QStringLiteral("# 竞争卡片 / Battlecard: %1 (%2)\n\n")
                      .arg(Kb::markdownText(zh), Kb::markdownText(wanted));
    for (const auto &r : intel) {
        out += QStringLiteral("- %1%2 [%3] %4 — %5%6, %7, %8 (`%9`)\n")
                   .arg(stale(r) ? QStringLiteral("STALE ") : QString(),
                        md(r, QStringLiteral("observed")), md(r, QStringLiteral("kind")),
                        md(r, QStringLiteral("title")), md(r, QStringLiteral("reliability")),
                        md(r, QStringLiteral("credibility")), md(r, QStringLiteral("claim")),
                        md(r, QStringLiteral("audience")), r.id);
    }
    if (withheld > 0)
        out += QStringLiteral("\n_%1 restricted record(s) withheld: readers cleared for them add "
                              "`--include-restricted` (in kb serve: the access token)._\n")
                   .arg(withheld);
    host.print(out);
    return 0;
}
