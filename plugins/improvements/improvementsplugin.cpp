#include "improvementsplugin.h"

#include "lifecycle.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

#include <algorithm>

namespace {

const QString kLogHeading = QStringLiteral("## 跟进记录 / Follow-up log");

// The board's columns: the status field's values in the manifest's order (the order a
// proposal travels), labelled as the manifest labels them; read from the host, so the
// manifest stays their one source.
QList<Kb::BoardColumn> statusColumns(const Kb::Host &host)
{
    QList<Kb::BoardColumn> columns;
    const QJsonArray fields =
        host.recordTypeSchema(QStringLiteral("improvement")).value("fields").toArray();
    for (const QJsonValue &f : fields) {
        if (f["name"].toString() != QLatin1String("status"))
            continue;
        const QJsonObject labels = f["value_labels"].toObject();
        for (const QJsonValue &v : f["values"].toArray()) {
            const QJsonObject label = labels.value(v.toString()).toObject();
            columns.append({v.toString(), label.value("zh").toString(v.toString()),
                            label.value("en").toString(v.toString())});
        }
    }
    return columns;
}

} // namespace

QList<Kb::Issue> ImprovementsPlugin::validate(const Kb::RecordData &record, Kb::Host &host) const
{
    return Lifecycle::check(record.fields, host.today());
}

int ImprovementsPlugin::runVerb(const QString &verb, const QStringList &args, Kb::Host &host)
{
    if (verb == QLatin1String("status"))
        return changeStatus(args, host);
    if (verb == QLatin1String("overdue"))
        return listOverdue(args, host);
    if (verb == QLatin1String("board"))
        return board(args, host);
    host.printError(QStringLiteral("improvements: unknown verb '%1'\n").arg(verb));
    return 2;
}

int ImprovementsPlugin::changeStatus(const QStringList &args, Kb::Host &host)
{
    QStringList positional;
    QString note;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--note") && i + 1 < args.size())
            note = args[++i];
        else if (args[i].startsWith(QLatin1String("--note=")))
            note = args[i].mid(7);
        else if (args[i] == QLatin1String("--help")) {
            host.print(
                QStringLiteral("Usage: kb improvements status ID NEW_STATUS [--note TEXT]\n\n"
                               "Moves a proposal along proposed → accepted → in-progress → "
                               "implemented → verified → closed (or rejected / reopened), "
                               "refusing illegal moves, and logs the change in the file.\n"));
            return 0;
        } else if (args[i].startsWith(QLatin1String("--"))) {
            host.printError(
                QStringLiteral("kb improvements status: unknown option '%1'\n").arg(args[i]));
            return 2;
        } else
            positional << args[i];
    }
    if (positional.size() != 2) {
        host.printError(QStringLiteral("kb improvements status: needs ID and NEW_STATUS\n"));
        return 2;
    }
    Kb::RecordData record;
    if (!host.record(positional[0], &record) ||
        record.text(QStringLiteral("type")) != QLatin1String("improvement")) {
        host.printError(QStringLiteral("kb improvements status: no improvement with id '%1'\n")
                            .arg(positional[0]));
        return 1;
    }
    const QString from = record.text(QStringLiteral("status")).isEmpty()
                             ? QStringLiteral("proposed")
                             : record.text(QStringLiteral("status"));
    const QString to = positional[1];
    const QStringList allowed = Lifecycle::nextStatuses(from);
    if (!allowed.contains(to)) {
        host.printError(QStringLiteral("%1: cannot move from '%2' to '%3'; allowed: %4\n")
                            .arg(record.path, from, to,
                                 allowed.isEmpty() ? QStringLiteral("none")
                                                   : allowed.join(QStringLiteral(", "))));
        return 1;
    }
    QJsonObject set{{"status", to}, {"updated", host.today()}};
    if (to == QLatin1String("rejected") &&
        record.text(QStringLiteral("rejection_reason")).isEmpty() && !note.isEmpty())
        set.insert("rejection_reason", note);
    // The rules of the target status must hold before the file changes.
    QJsonObject after = record.fields;
    for (auto it = set.begin(); it != set.end(); ++it)
        after.insert(it.key(), it.value());
    QList<Kb::Issue> problems;
    for (const auto &issue : Lifecycle::check(after, host.today()))
        if (!issue.warning)
            problems.append(issue);
    if (!problems.isEmpty()) {
        for (const auto &p : problems)
            host.printError(QStringLiteral("%1: %2: %3\n").arg(record.path, p.field, p.message));
        return 1;
    }
    QString entry = QStringLiteral("- %1 %2: %3 → %4").arg(host.today(), host.userName(), from, to);
    if (!note.isEmpty())
        entry += QStringLiteral(": ") + note.simplified();
    const QString append = record.body.contains(kLogHeading) ? entry : kLogHeading + "\n\n" + entry;
    QString error;
    if (!host.updateRecord(record.id, set, append, &error)) {
        host.printError(QStringLiteral("kb improvements status: %1\n").arg(error));
        return 2;
    }
    host.print(QStringLiteral("%1: %2 → %3\n").arg(record.id, from, to));
    return 0;
}

int ImprovementsPlugin::listOverdue(const QStringList &args, Kb::Host &host)
{
    bool json = false, byOwner = false;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--json"))
            json = true;
        else if (args[i] == QLatin1String("--by") && i + 1 < args.size() &&
                 args[i + 1] == QLatin1String("owner"))
            byOwner = true, ++i;
        else if (args[i] == QLatin1String("--help")) {
            host.print(QStringLiteral("Usage: kb improvements overdue [--by owner] [--json]\n\n"
                                      "Open proposals whose due date has passed, oldest first. "
                                      "Exits 1 when there are any.\n"));
            return 0;
        } else {
            host.printError(
                QStringLiteral("kb improvements overdue: unknown argument '%1'\n").arg(args[i]));
            return 2;
        }
    }
    const QString today = host.today();
    QList<Kb::RecordData> overdue;
    for (const auto &r : host.records(QStringLiteral("improvement")))
        if (Lifecycle::isOverdue(r.fields, today))
            overdue.append(r);
    std::sort(overdue.begin(), overdue.end(), [](const Kb::RecordData &a, const Kb::RecordData &b) {
        return a.text(QStringLiteral("due")) < b.text(QStringLiteral("due"));
    });
    auto owner = [](const Kb::RecordData &r) {
        return r.text(QStringLiteral("owner")).isEmpty() ? QStringLiteral("(no owner)")
                                                         : r.text(QStringLiteral("owner"));
    };
    if (json) {
        QJsonArray arr;
        for (const auto &r : overdue)
            arr.append(QJsonObject{{"id", r.id},
                                   {"title", r.text(QStringLiteral("title"))},
                                   {"owner", owner(r)},
                                   {"due", r.text(QStringLiteral("due"))},
                                   {"status", r.text(QStringLiteral("status"))},
                                   {"priority", r.text(QStringLiteral("priority"))},
                                   {"path", r.path}});
        host.print(QString::fromUtf8(QJsonDocument(arr).toJson()));
        return overdue.isEmpty() ? 0 : 1;
    }
    auto line = [&](const Kb::RecordData &r) {
        return QStringLiteral("%1  due %2  %3  %4  %5\n")
            .arg(r.id, r.text(QStringLiteral("due")), r.text(QStringLiteral("status")), owner(r),
                 r.text(QStringLiteral("title")));
    };
    if (byOwner) {
        QMap<QString, QList<Kb::RecordData>> groups;
        for (const auto &r : overdue)
            groups[owner(r)].append(r);
        for (auto it = groups.begin(); it != groups.end(); ++it) {
            host.print(QStringLiteral("%1 (%2)\n").arg(it.key()).arg(it.value().size()));
            for (const auto &r : it.value())
                host.print(QStringLiteral("  ") + line(r));
        }
    } else {
        for (const auto &r : overdue)
            host.print(line(r));
    }
    if (overdue.isEmpty())
        host.print(QStringLiteral("nothing overdue\n"));
    return overdue.isEmpty() ? 0 : 1;
}

int ImprovementsPlugin::board(const QStringList &args, Kb::Host &host)
{
    QString owner;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--owner") && i + 1 < args.size())
            owner = args[++i];
        else if (args[i] == QLatin1String("--help")) {
            host.print(QStringLiteral(
                "Usage: kb improvements board [--owner NAME]\n\nEvery proposal as JSON by "
                "status column, with overdue flags and the statuses each may move to (the "
                "data of the web board).\n"));
            return 0;
        } else if (args[i] != QLatin1String("--json")) {
            host.printError(
                QStringLiteral("kb improvements board: unknown argument '%1'\n").arg(args[i]));
            return 2;
        }
    }
    Kb::BoardView board;
    board.field = QStringLiteral("status");
    board.columns = statusColumns(host);
    const QString today = host.today();
    auto records = host.records(QStringLiteral("improvement"));
    std::sort(records.begin(), records.end(), [](const Kb::RecordData &a, const Kb::RecordData &b) {
        return a.text(QStringLiteral("due")) < b.text(QStringLiteral("due"));
    });
    for (const auto &r : records) {
        const QString who = r.text(QStringLiteral("owner"));
        if (!who.isEmpty() && !board.owners.contains(who))
            board.owners << who;
        if (!owner.isEmpty() && who != owner)
            continue;
        QString status = r.text(QStringLiteral("status"));
        if (status.isEmpty())
            status = QStringLiteral("proposed");
        Kb::BoardCard card;
        card.id = r.id;
        card.title = r.text(QStringLiteral("title"));
        card.column = status;
        card.owner = who;
        card.due = r.text(QStringLiteral("due"));
        card.overdue = Lifecycle::isOverdue(r.fields, today);
        card.next = Lifecycle::nextStatuses(status);
        card.extra = QJsonObject{{"priority", r.text(QStringLiteral("priority"))},
                                 {"customer", r.text(QStringLiteral("customer"))}};
        board.cards.append(card);
    }
    board.owners.sort();
    host.print(QString::fromUtf8(QJsonDocument(board.toJson()).toJson(QJsonDocument::Compact)));
    return 0;
}
