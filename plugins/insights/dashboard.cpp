#include "dashboard.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>
#include <map>

namespace {

const QString kImprovement = QStringLiteral("improvement");
const QStringList kOpenStatuses = {QStringLiteral("proposed"),    QStringLiteral("accepted"),
                                   QStringLiteral("in-progress"), QStringLiteral("implemented"),
                                   QStringLiteral("verified"),    QStringLiteral("reopened")};

struct Move {
    QDate on;
    QString to;
};

// The status changes a follow-up log records, oldest first.
QList<Move> movesOf(const Kb::RecordData &r)
{
    static const QRegularExpression line(
        QStringLiteral("^- (\\d{4}-\\d{2}-\\d{2}) [^\\n]*?([a-z][a-z-]*) → ([a-z][a-z-]*)"),
        QRegularExpression::MultilineOption);
    QList<Move> out;
    for (auto it = line.globalMatch(r.body); it.hasNext();) {
        const auto m = it.next();
        const QDate on = QDate::fromString(m.captured(1), Qt::ISODate);
        if (on.isValid())
            out.append({on, m.captured(3)});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Move &a, const Move &b) { return a.on < b.on; });
    return out;
}

// An improvement's status at the end of `day`; "" before it was filed.
QString statusAt(const Kb::RecordData &r, const QDate &day)
{
    const QDate filed = QDate::fromString(r.text(QStringLiteral("date")), Qt::ISODate);
    if (!filed.isValid() || filed > day)
        return {};
    const QList<Move> moves = movesOf(r);
    if (moves.isEmpty()) {
        const QString now = r.text(QStringLiteral("status"));
        const QDate verified =
            QDate::fromString(r.text(QStringLiteral("verified_on")), Qt::ISODate);
        if (now == QLatin1String("closed") && verified.isValid() && verified > day)
            return QStringLiteral("implemented");
        return now.isEmpty() ? QStringLiteral("proposed") : now;
    }
    QString status = QStringLiteral("proposed");
    for (const Move &m : moves)
        if (m.on <= day)
            status = m.to;
    return status;
}

// When it was closed: the log's move to closed, else verified_on.
QDate closedOn(const Kb::RecordData &r)
{
    QDate last;
    for (const Move &m : movesOf(r))
        if (m.to == QLatin1String("closed"))
            last = m.on;
    if (!last.isValid() && r.text(QStringLiteral("status")) == QLatin1String("closed"))
        last = QDate::fromString(r.text(QStringLiteral("verified_on")), Qt::ISODate);
    return last;
}

QString quoted(const QString &value)
{
    return value.contains(QLatin1Char(' ')) ? QLatin1Char('"') + value + QLatin1Char('"') : value;
}

} // namespace

int runDashboard(const QStringList &args, Kb::Host &host)
{
    if (args.contains(QStringLiteral("--help")) || !args.contains(QStringLiteral("--json"))) {
        host.print(QStringLiteral(
            "Usage: kb dashboard --json\n\nThe manager's dashboard as the charts kb serve draws: "
            "open improvements by status over the last 12 months, overdue ones by owner, median "
            "days to close by touchpoint, whether complaint customers were told the outcome, "
            "lessons per touchpoint per year. Every bar names the search behind it.\n"));
        return args.contains(QStringLiteral("--help")) ? 0 : 2;
    }
    const QDate today = QDate::fromString(host.today(), Qt::ISODate);
    const QList<Kb::RecordData> improvements = host.records(kImprovement);
    const QList<Kb::RecordData> lessons = host.records(QStringLiteral("lesson"));
    // Labels as the manifests give them: never a code on the page.
    const QJsonObject schema = host.recordTypeSchema(kImprovement);
    auto statusLabel = [&](const QString &value, const char *lang) {
        return Kb::valueLabel(schema, QStringLiteral("status"), value, QLatin1String(lang));
    };
    const QStringList touchpoints = host.vocabularyIds(QStringLiteral("touchpoints"));
    auto tpLabel = [&](const QString &tp, const char *lang) {
        const QString l =
            host.vocabularyLabel(QStringLiteral("touchpoints"), tp, QLatin1String(lang));
        return l.isEmpty() ? tp : l;
    };
    const QString stillOpen = QStringLiteral(" -status:closed -status:rejected");
    Kb::ChartsView view;

    { // Open improvements by status, month by month.
        Kb::Chart c{QStringLiteral("open-by-month"),
                    QStringLiteral("未关闭的改进(按月末状态)"),
                    QStringLiteral("Open improvements by status, month by month"),
                    QStringLiteral("条"),
                    QStringLiteral("improvements"),
                    {},
                    {}};
        for (const QString &s : kOpenStatuses)
            c.series.append({s, statusLabel(s, "zh"), statusLabel(s, "en")});
        for (int back = 11; back >= 0; --back) {
            const QDate first = QDate(today.year(), today.month(), 1).addMonths(-back);
            const QDate end = back == 0 ? today : first.addMonths(1).addDays(-1);
            Kb::ChartBar bar{first.toString(QStringLiteral("yyyy-MM")),
                             first.toString(QStringLiteral("yyyy-MM")),
                             {},
                             {}};
            for (const QString &s : kOpenStatuses) {
                int n = 0;
                for (const auto &r : improvements)
                    n += statusAt(r, end) == s ? 1 : 0;
                bar.values.append(n);
                bar.queries.append(QStringLiteral("type:improvement status:") + s);
            }
            c.bars.append(bar);
        }
        view.charts.append(c);
    }
    { // Overdue by owner, most first.
        std::map<QString, int> overdue;
        for (const auto &r : improvements) {
            const QDate due = QDate::fromString(r.text(QStringLiteral("due")), Qt::ISODate);
            const QString status = r.text(QStringLiteral("status"));
            if (due.isValid() && due < today && kOpenStatuses.contains(status))
                ++overdue[r.text(QStringLiteral("owner")).isEmpty()
                              ? QStringLiteral("?")
                              : r.text(QStringLiteral("owner"))];
        }
        std::vector<std::pair<QString, int>> rows(overdue.begin(), overdue.end());
        std::stable_sort(rows.begin(), rows.end(),
                         [](const auto &a, const auto &b) { return a.second > b.second; });
        Kb::Chart c{
            QStringLiteral("overdue-by-owner"),
            QStringLiteral("逾期未关闭的改进(按负责人)"),
            QStringLiteral("Overdue open improvements by owner"),
            QStringLiteral("条"),
            QStringLiteral("improvements"),
            {{QStringLiteral("overdue"), QStringLiteral("逾期"), QStringLiteral("Overdue")}},
            {}};
        const QString yesterday = today.addDays(-1).toString(Qt::ISODate);
        for (const auto &[owner, n] : rows)
            c.bars.append({owner,
                           owner,
                           {double(n)},
                           {QStringLiteral("type:improvement owner:") + quoted(owner) +
                            QStringLiteral(" due:1900-01-01..") + yesterday + stillOpen}});
        view.charts.append(c);
    }
    { // Median days from proposed to closed, per touchpoint.
        Kb::Chart c{QStringLiteral("days-to-close"),
                    QStringLiteral("从提出到关闭的天数中位数(按接触点)"),
                    QStringLiteral("Median days from proposed to closed, by touchpoint"),
                    QStringLiteral("天"),
                    QStringLiteral("days"),
                    {{QStringLiteral("days"), QStringLiteral("天数"), QStringLiteral("Days")}},
                    {}};
        for (const QString &tp : touchpoints) {
            std::vector<qint64> days;
            for (const auto &r : improvements) {
                const QDate filed = QDate::fromString(r.text(QStringLiteral("date")), Qt::ISODate);
                const QDate closed = closedOn(r);
                if (filed.isValid() && closed.isValid() && closed >= filed &&
                    r.list(QStringLiteral("touchpoint")).contains(tp))
                    days.push_back(filed.daysTo(closed));
            }
            if (days.empty())
                continue;
            std::sort(days.begin(), days.end());
            const std::size_t mid = days.size() / 2;
            const double median =
                days.size() % 2 ? double(days[mid]) : (days[mid - 1] + days[mid]) / 2.0;
            c.bars.append({tpLabel(tp, "zh"),
                           tpLabel(tp, "en"),
                           {median},
                           {QStringLiteral("type:improvement status:closed touchpoint:") + tp}});
        }
        view.charts.append(c);
    }
    { // Complaints: did the customer hear the outcome?
        int told = 0, notTold = 0;
        for (const auto &r : improvements) {
            const QString status = r.text(QStringLiteral("status"));
            if (r.text(QStringLiteral("source")) != QLatin1String("customer-complaint") ||
                (status != QLatin1String("implemented") && status != QLatin1String("verified") &&
                 status != QLatin1String("closed")))
                continue;
            (r.text(QStringLiteral("customer_informed")).isEmpty() ? notTold : told) += 1;
        }
        const int all = told + notTold;
        const QString share =
            all ? QString::number(100 * told / all) + QStringLiteral("%") : QStringLiteral("—");
        Kb::Chart c{
            QStringLiteral("complaints-told"),
            QStringLiteral("投诉来源的改进: 已把结果告诉客户的比例 ") + share,
            QStringLiteral("Complaint-sourced improvements: customer told the outcome, ") + share,
            QStringLiteral("条"),
            QStringLiteral("improvements"),
            {{QStringLiteral("told"), QStringLiteral("已告知"), QStringLiteral("Told")},
             {QStringLiteral("not-told"), QStringLiteral("未告知"), QStringLiteral("Not told")}},
            {}};
        const QString query =
            QStringLiteral("type:improvement source:customer-complaint -status:proposed "
                           "-status:accepted -status:in-progress -status:rejected "
                           "-status:reopened");
        if (all)
            c.bars.append({QStringLiteral("已有结果的投诉改进"),
                           QStringLiteral("With an outcome"),
                           {double(told), double(notTold)},
                           {query, query}});
        view.charts.append(c);
    }
    { // Lessons per touchpoint per year: the last four years with lessons, and before.
        std::vector<int> years;
        for (const auto &r : lessons)
            if (const int y = r.text(QStringLiteral("date")).left(4).toInt();
                y > 0 && std::find(years.begin(), years.end(), y) == years.end())
                years.push_back(y);
        std::sort(years.begin(), years.end());
        const std::vector<int> recent(years.end() - std::min<std::ptrdiff_t>(4, years.size()),
                                      years.end());
        const bool earlier = years.size() > recent.size();
        Kb::Chart c{QStringLiteral("lessons-by-touchpoint"),
                    QStringLiteral("经验总结(按接触点与年份)"),
                    QStringLiteral("Lessons by touchpoint and year"),
                    QStringLiteral("条"),
                    QStringLiteral("lessons"),
                    {},
                    {}};
        if (earlier)
            c.series.append({QStringLiteral("earlier"),
                             QStringLiteral("%1 年以前").arg(recent.front()),
                             QStringLiteral("before %1").arg(recent.front())});
        for (const int y : recent)
            c.series.append({QString::number(y), QString::number(y), QString::number(y)});
        for (const QString &tp : touchpoints) {
            Kb::ChartBar bar{tpLabel(tp, "zh"), tpLabel(tp, "en"), {}, {}};
            double total = 0;
            const auto count = [&](auto inYear) {
                int n = 0;
                for (const auto &r : lessons)
                    n += r.list(QStringLiteral("touchpoint")).contains(tp) &&
                                 inYear(r.text(QStringLiteral("date")).left(4).toInt())
                             ? 1
                             : 0;
                return n;
            };
            const QString base = QStringLiteral("type:lesson touchpoint:") + tp;
            if (earlier) {
                const int first = recent.front();
                bar.values.append(count([&](int y) { return y > 0 && y < first; }));
                bar.queries.append(base +
                                   QStringLiteral(" date:1900-01-01..%1-12-31").arg(first - 1));
            }
            for (const int y : recent) {
                bar.values.append(count([&](int year) { return year == y; }));
                bar.queries.append(base + QStringLiteral(" year:%1").arg(y));
            }
            for (double v : bar.values)
                total += v;
            if (total > 0)
                c.bars.append(bar);
        }
        view.charts.append(c);
    }
    host.print(QString::fromUtf8(QJsonDocument(view.toJson()).toJson(QJsonDocument::Compact)) +
               QLatin1Char('\n'));
    return 0;
}
