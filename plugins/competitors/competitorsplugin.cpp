#include "competitorsplugin.h"

#include <QDate>
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
    // Labels of this type's enum values, as the manifest names them (never codes).
    const QJsonObject schema = host.recordTypeSchema(QStringLiteral("intel"));
    auto label = [&](const QString &field, const QString &value, const QString &lang) {
        return Kb::valueLabel(schema, field, value, lang);
    };
    auto both = [&](const QString &field, const QString &value) {
        return Kb::markdownText(Kb::valueLabels(schema, field, value));
    };
    // The grade in words: "B2 通常可靠 · 很可能属实 / usually reliable · probably true".
    auto grade = [&](const Kb::RecordData &r) {
        const QString rel = r.text(QStringLiteral("reliability")),
                      cred = r.text(QStringLiteral("credibility"));
        if (rel.isEmpty() && cred.isEmpty())
            return QStringLiteral("未评级 / ungraded");
        auto words = [&](const QString &field, const QString &v, const QString &lang) {
            QString l = label(field, v, lang);
            return l.startsWith(v + QLatin1Char(' ')) ? l.mid(v.size() + 1) : l;
        };
        return Kb::markdownText(
            rel + cred + QLatin1Char(' ') + words(QStringLiteral("reliability"), rel, "zh") +
            QStringLiteral(" · ") + words(QStringLiteral("credibility"), cred, "zh") +
            QStringLiteral(" / ") + words(QStringLiteral("reliability"), rel, "en") +
            QStringLiteral(" · ") + words(QStringLiteral("credibility"), cred, "en"));
    };
    // How old a fact is, from when it was observed.
    auto age = [&](const Kb::RecordData &r) {
        const QDate seen = QDate::fromString(r.text(QStringLiteral("observed")), Qt::ISODate);
        const QDate now = QDate::fromString(today, Qt::ISODate);
        if (!seen.isValid() || !now.isValid())
            return QString();
        const int months = (now.year() - seen.year()) * 12 + now.month() - seen.month() -
                           (now.day() < seen.day() ? 1 : 0);
        return months < 1 ? QStringLiteral("本月 / this month")
                          : QStringLiteral("%1 个月前 / %1 month%2 ago")
                                .arg(months)
                                .arg(months == 1 ? QString() : QStringLiteral("s"));
    };
    int staleCount = 0;
    for (const auto &r : intel)
        staleCount += stale(r) ? 1 : 0;
    QString out = QStringLiteral("# 竞争卡片 / Battlecard: %1 (%2)\n\n")
                      .arg(Kb::markdownText(zh), Kb::markdownText(wanted));
    out += QStringLiteral("**概况 / Summary:** %1 条情报 / facts").arg(intel.size());
    if (!intel.isEmpty())
        out += QStringLiteral(" · 最近观察 / latest %1").arg(md(intel.first(), "observed"));
    if (staleCount)
        out += QStringLiteral(" · %1 条已过期、待核实 / stale, to re-verify").arg(staleCount);
    out += QStringLiteral("\n");
    struct Group {
        const char *zh, *en;
        QStringList kinds;
    };
    const Group groups[] = {
        {"优势", "Strengths", {QStringLiteral("strength")}},
        {"弱点", "Weaknesses", {QStringLiteral("weakness")}},
        {"价格与报价", "Pricing and offers", {QStringLiteral("pricing"), QStringLiteral("offer")}},
        {"近期动向",
         "Recent moves",
         {QStringLiteral("product-move"), QStringLiteral("strategy-move"),
          QStringLiteral("partnership")}},
        {"赢单与丢单", "Wins and losses", {QStringLiteral("win"), QStringLiteral("loss")}},
    };
    for (const Group &g : groups) {
        QString lines;
        for (const auto &r : intel) {
            if (!g.kinds.contains(r.text(QStringLiteral("kind"))))
                continue;
            const bool old = stale(r);
            QString line = QStringLiteral("**%1**").arg(md(r, QStringLiteral("title")));
            QStringList facts = {grade(r), both(QStringLiteral("claim"), r.text("claim")),
                                 both(QStringLiteral("audience"), r.text("audience"))};
            facts.removeAll(QString());
            line += QStringLiteral(" — ") + facts.join(QStringLiteral(" · "));
            line += QStringLiteral("<br>");
            QString source = both(QStringLiteral("source_type"), r.text("source_type"));
            if (!r.text(QStringLiteral("source_ref")).isEmpty())
                source += QStringLiteral(" (") + md(r, QStringLiteral("source_ref")) +
                          QStringLiteral(")");
            line = line.replace(QStringLiteral("<br>"), QStringLiteral("  \n  "));
            line += QStringLiteral("来源 / Source: %1 · 观察于 / observed %2 (%3) · `%4`")
                        .arg(source, md(r, QStringLiteral("observed")), age(r), r.id);
            if (old)
                line = QStringLiteral("⚠ **已过期 / Stale** (%1) — _")
                           .arg(md(r, QStringLiteral("valid_until"))) +
                       line + QStringLiteral("_");
            lines += QStringLiteral("- ") + line + QStringLiteral("\n");
        }
        if (!lines.isEmpty())
            out += QStringLiteral("\n## %1 / %2\n\n")
                       .arg(QString::fromUtf8(g.zh), QString::fromUtf8(g.en)) +
                   lines;
    }
    // What to do about it: each current fact's own "how we respond".
    QString win, landmines;
    for (const auto &r : intel) {
        if (stale(r))
            continue;
        const QString respond = Kb::sectionParagraph(r.body, QStringLiteral("应对建议"));
        if (!respond.isEmpty())
            win += QStringLiteral("- %1 (`%2`)\n").arg(Kb::markdownText(respond), r.id);
        if (r.text(QStringLiteral("audience")) == QLatin1String("internal-only"))
            landmines += QStringLiteral("- %1 (`%2`)\n").arg(md(r, QStringLiteral("title")), r.id);
    }
    if (!win.isEmpty())
        out += QStringLiteral("\n## 我们如何赢 / How we win\n\n") + win;
    if (!landmines.isEmpty())
        out += QStringLiteral("\n## 雷区: 只在内部说 / Landmines: never say these to the "
                              "customer\n\n") +
               landmines;
    if (withheld > 0)
        out += QStringLiteral("\n_%1 restricted record(s) withheld: readers cleared for them add "
                              "`--include-restricted` (in kb serve: the access token)._\n")
                   .arg(withheld);
    host.print(out);
    return 0;
}
