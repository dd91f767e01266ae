#include "insightsplugin.h"

#include "dashboard.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace {

// A record's value as text inside the Markdown this plugin prints (never as syntax).
QString md(const Kb::RecordData &r, const QString &key)
{
    return Kb::markdownText(r.text(key));
}

bool isOpenImprovement(const Kb::RecordData &r)
{
    const QString s = r.text(QStringLiteral("status"));
    return s != QLatin1String("closed") && s != QLatin1String("rejected");
}

// "2010, recovered"; a part a record leaves empty is left out, not shown as ", ".
QString joinPresent(const QStringList &parts)
{
    QStringList kept;
    for (const QString &p : parts)
        if (!p.isEmpty())
            kept << p;
    return kept.join(QStringLiteral(", "));
}

} // namespace

int InsightsPlugin::runVerb(const QString &verb, const QStringList &args, Kb::Host &host)
{
    if (verb == QLatin1String("report"))
        return touchpointReport(args, host);
    if (verb == QLatin1String("brief"))
        return brief(args, host);
    if (verb == QLatin1String("dashboard"))
        return runDashboard(args, host);
    host.printError(QStringLiteral("insights: unknown verb '%1'\n").arg(verb));
    return 2;
}

int InsightsPlugin::touchpointReport(const QStringList &args, Kb::Host &host)
{
    if (args.contains(QStringLiteral("--help"))) {
        host.print(
            QStringLiteral("Usage: kb report touchpoints [--json]\n\nFor each of the customer "
                           "touchpoints, in order: how many lessons, cases and open "
                           "improvement proposals refer to it.\n"));
        return 0;
    }
    const bool json = args.contains(QStringLiteral("--json"));
    QStringList rest = args;
    rest.removeAll(QStringLiteral("--json"));
    if (rest != QStringList{QStringLiteral("touchpoints")}) {
        host.printError(QStringLiteral("kb report: the available report is `touchpoints`\n"));
        return 2;
    }
    const QStringList touchpoints = host.vocabularyIds(QStringLiteral("touchpoints"));
    if (touchpoints.isEmpty()) {
        host.printError(QStringLiteral("kb report: vocab/touchpoints.yaml is missing or empty\n"));
        return 2;
    }
    const auto lessons = host.records(QStringLiteral("lesson"));
    const auto cases = host.records(QStringLiteral("case"));
    const auto improvements = host.records(QStringLiteral("improvement"));
    auto count = [](const QList<Kb::RecordData> &records, const QString &tp, bool openOnly) {
        return static_cast<int>(
            std::count_if(records.begin(), records.end(), [&](const Kb::RecordData &r) {
                return r.list(QStringLiteral("touchpoint")).contains(tp) &&
                       (!openOnly || isOpenImprovement(r));
            }));
    };
    Kb::JourneyView journey;
    // Names go last: CJK characters are two columns wide, so padding them misaligns.
    QString table = QStringLiteral("%1  lessons  cases  open-improvements  name\n")
                        .arg(QStringLiteral("touchpoint"), -24);
    for (const QString &tp : touchpoints) {
        const int l = count(lessons, tp, false), c = count(cases, tp, false),
                  i = count(improvements, tp, true);
        Kb::JourneyStation station;
        station.touchpoint = tp;
        station.query = "touchpoint:" + tp;
        station.zh = host.vocabularyLabel(QStringLiteral("touchpoints"), tp, QStringLiteral("zh"));
        station.en = host.vocabularyLabel(QStringLiteral("touchpoints"), tp, QStringLiteral("en"));
        // Each count with its label and the search that lists the records behind it.
        const QString where = QStringLiteral(" touchpoint:") + tp;
        station.counts = {{"lessons", "经验总结", "Lessons", l, "type:lesson" + where},
                          {"cases", "案例", "Cases", c, "type:case" + where},
                          {"open_improvements", "未关闭的改进", "Open improvements", i,
                           "type:improvement" + where + " -status:closed -status:rejected"}};
        station.extra = QJsonObject{{"lessons", l}, {"cases", c}, {"open_improvements", i}};
        journey.stations.append(station);
        table += QStringLiteral("%1  %2  %3  %4  %5 / %6\n")
                     .arg(tp, -24)
                     .arg(l, 7)
                     .arg(c, 5)
                     .arg(i, 17)
                     .arg(station.zh, station.en);
    }
    host.print(json ? QString::fromUtf8(QJsonDocument(journey.toJson()).toJson()) : table);
    return 0;
}

int InsightsPlugin::brief(const QStringList &args, Kb::Host &host)
{
    QString customer, competitor;
    bool includeRestricted = false;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--customer") && i + 1 < args.size())
            customer = args[++i];
        else if (args[i] == QLatin1String("--competitor") && i + 1 < args.size())
            competitor = args[++i];
        else if (args[i] == QLatin1String("--include-restricted"))
            includeRestricted = true;
        else if (args[i] == QLatin1String("--help")) {
            host.print(
                QStringLiteral("Usage: kb brief --customer NAME | --competitor NAME "
                               "[--include-restricted]\n\nOne Markdown page for a pre-meeting "
                               "read: cases, lessons, open improvements and current intel. "
                               "Restricted records are left out (and counted) unless "
                               "--include-restricted is given.\n"));
            return 0;
        } else {
            host.printError(QStringLiteral("kb brief: unknown argument '%1'\n").arg(args[i]));
            return 2;
        }
    }
    if (customer.isEmpty() == competitor.isEmpty()) {
        host.printError(
            QStringLiteral("kb brief: give one of --customer NAME or --competitor NAME\n"));
        return 2;
    }
    const QString vocab =
        customer.isEmpty() ? QStringLiteral("competitors") : QStringLiteral("customers");
    const QString key =
        customer.isEmpty() ? QStringLiteral("competitor") : QStringLiteral("customer");
    const QString name = customer.isEmpty() ? competitor : customer;
    const QString canonical = host.vocabularyLabel(vocab, name, QStringLiteral("en"));
    const QString today = host.today();
    int withheld = 0;
    auto matches = [&](const Kb::RecordData &r) {
        QStringList values = r.list(key);
        if (key == QLatin1String("competitor"))
            values += r.list(QStringLiteral("competitors"));
        for (const QString &v : values)
            if (host.vocabularyLabel(vocab, v, QStringLiteral("en")) == canonical)
                return true;
        return false;
    };
    auto select = [&](const char *type, auto extra) {
        QList<Kb::RecordData> out;
        for (const auto &r : host.records(QLatin1String(type))) {
            if (!matches(r) || !extra(r))
                continue;
            if (!includeRestricted &&
                r.text(QStringLiteral("confidentiality")) == QLatin1String("restricted")) {
                ++withheld;
                continue;
            }
            out.append(r);
        }
        std::sort(out.begin(), out.end(), [](const Kb::RecordData &a, const Kb::RecordData &b) {
            return a.text(QStringLiteral("date")) > b.text(QStringLiteral("date"));
        });
        return out;
    };
    auto any = [](const Kb::RecordData &) { return true; };
    const auto cases = select("case", any);
    const auto lessons = select("lesson", any);
    const auto improvements = select("improvement", isOpenImprovement);
    const auto intel = select("intel", [&](const Kb::RecordData &r) {
        return r.text(QStringLiteral("valid_until")).isEmpty() ||
               r.text(QStringLiteral("valid_until")) >= today;
    });
    const QString zh = host.vocabularyLabel(vocab, name, QStringLiteral("zh"));
    QString out = QStringLiteral("# 会前简报 / Pre-meeting brief: %1 (%2)\n\n_%3_\n")
                      .arg(Kb::markdownText(zh), Kb::markdownText(canonical), today);
    // Codes as the manifests name them, in both languages.
    auto labels = [&](const char *type, const char *field, const Kb::RecordData &r) {
        const QString v = r.text(QLatin1String(field));
        return v.isEmpty()
                   ? QString()
                   : Kb::markdownText(Kb::valueLabels(host.recordTypeSchema(QLatin1String(type)),
                                                      QLatin1String(field), v));
    };
    // Each record with what to take from it: the first lines of its own takeaway section.
    auto section = [&](const QString &heading, const QList<Kb::RecordData> &records, auto detail,
                       const QString &takeaway) {
        out += QStringLiteral("\n## %1 (%2)\n\n").arg(heading).arg(records.size());
        if (records.isEmpty())
            out += QStringLiteral("- (无 / none)\n");
        for (const auto &r : records) {
            out += QStringLiteral("- **%1** — %2 (`%3`)\n")
                       .arg(md(r, QStringLiteral("title")), detail(r), r.id);
            if (const QString said = Kb::sectionParagraph(r.body, takeaway); !said.isEmpty())
                out += QStringLiteral("  \n  ") + Kb::markdownText(said.left(240)) +
                       (said.size() > 240 ? QStringLiteral("…") : QString()) + QLatin1Char('\n');
        }
    };
    section(
        QStringLiteral("案例 / Cases"), cases,
        [&](const Kb::RecordData &r) {
            return joinPresent({md(r, QStringLiteral("year")), labels("case", "result", r)});
        },
        QStringLiteral("启示"));
    section(
        QStringLiteral("经验总结 / Lessons"), lessons,
        [&](const Kb::RecordData &r) {
            return joinPresent({md(r, QStringLiteral("date")), labels("lesson", "outcome", r)});
        },
        QStringLiteral("经验教训"));
    section(
        QStringLiteral("未关闭的改进 / Open improvements"), improvements,
        [&](const Kb::RecordData &r) {
            const bool overdue =
                !r.text(QStringLiteral("due")).isEmpty() && r.text(QStringLiteral("due")) < today;
            return QStringLiteral("%1 · 负责人 / owner %2 · 截止 / due %3%4")
                .arg(labels("improvement", "status", r), md(r, QStringLiteral("owner")),
                     md(r, QStringLiteral("due")),
                     overdue ? QStringLiteral(" **已逾期 / OVERDUE**") : QString());
        },
        QStringLiteral("改进措施"));
    section(
        QStringLiteral("当前友商情报 / Current intel"), intel,
        [&](const Kb::RecordData &r) {
            const QString competitor = r.text(QStringLiteral("competitor"));
            return joinPresent(
                {Kb::markdownText(host.vocabularyLabel(QStringLiteral("competitors"), competitor,
                                                       QStringLiteral("zh"))),
                 labels("intel", "kind", r),
                 md(r, QStringLiteral("reliability")) + md(r, QStringLiteral("credibility")),
                 labels("intel", "audience", r)});
        },
        QStringLiteral("应对建议"));
    if (withheld > 0)
        out +=
            QStringLiteral("\n_%1 restricted record(s) withheld: readers cleared for them add "
                           "`--include-restricted` (in kb serve: people with read-restricted)._\n")
                .arg(withheld);
    host.print(out);
    return cases.isEmpty() && lessons.isEmpty() && improvements.isEmpty() && intel.isEmpty() ? 1
                                                                                             : 0;
}
