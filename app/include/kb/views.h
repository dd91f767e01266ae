// SPDX-License-Identifier: MIT
// The data of the pages kb serve draws for a plugin's views (manifest "Views"): a verb
// builds one of these and prints toJson(); the web app draws it. The JSON keys are the
// contract (README, "Views"), so a plugin never spells them itself.
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Kb {

// "Kind": "board": cards in columns by the value of one field, moved by the view's
// "Move" verb. With owners, the page offers them as a filter and passes the choice back
// to the verb as `--owner NAME`.
struct BoardColumn {
    QString value; // the field value that puts a card here
    QString zh, en;
};

struct BoardCard {
    QString id, title;
    QString column; // the value of the board's field
    QString owner, due;
    bool overdue = false;
    QStringList next;  // the columns it may move to
    QJsonObject extra; // more keys for the page, never overriding the ones above
};

struct BoardView {
    QString field; // which field the columns are values of
    QList<BoardColumn> columns;
    QList<BoardCard> cards;
    QStringList owners;

    QJsonObject toJson() const
    {
        QJsonArray cols, list;
        for (const BoardColumn &c : columns)
            cols.append(QJsonObject{{"value", c.value}, {"zh", c.zh}, {"en", c.en}});
        for (const BoardCard &c : cards) {
            QJsonObject o = c.extra;
            o["id"] = c.id;
            o["title"] = c.title;
            o[field] = c.column;
            o["owner"] = c.owner;
            o["due"] = c.due;
            o["overdue"] = c.overdue;
            o["next"] = QJsonArray::fromStringList(c.next);
            list.append(o);
        }
        return QJsonObject{{"field", field},
                           {"columns", cols},
                           {"owners", QJsonArray::fromStringList(owners)},
                           {"cards", list}};
    }
};

// "Kind": "journey": one station per touchpoint, each a link to its search, with bars
// that count records and link to the search listing them.
struct JourneyCount {
    QString key; // the same key at every station: one colour in the legend
    QString zh, en;
    int count = 0;
    QString query; // what the bar links to
};

struct JourneyStation {
    QString touchpoint; // the vocabulary id
    QString query;      // what the station links to
    QString zh, en;
    QList<JourneyCount> counts;
    QJsonObject extra; // more keys for scripts reading the verb's JSON
};

struct JourneyView {
    QList<JourneyStation> stations;

    QJsonArray toJson() const
    {
        QJsonArray out;
        for (const JourneyStation &s : stations) {
            QJsonArray counts;
            for (const JourneyCount &c : s.counts)
                counts.append(QJsonObject{{"key", c.key},
                                          {"zh", c.zh},
                                          {"en", c.en},
                                          {"count", c.count},
                                          {"query", c.query}});
            QJsonObject o = s.extra;
            o["touchpoint"] = s.touchpoint;
            o["query"] = s.query;
            o["zh"] = s.zh;
            o["en"] = s.en;
            o["counts"] = counts;
            out.append(o);
        }
        return out;
    }
};

// "Kind": "charts": a page of bar charts, drawn by kb serve as SVG. Each bar has one value
// per series (several series stack); each part links to the search behind it, so every
// number leads to its records.
struct ChartSeries {
    QString key; // the same key keeps its colour across charts
    QString zh, en;
};

struct ChartBar {
    QString zh, en;       // the bar's label
    QList<double> values; // one per series of its chart
    QStringList queries;  // one per series: the search listing the records behind it
};

struct Chart {
    QString key;            // names the chart in the page (id "chart-KEY")
    QString zh, en;         // its title
    QString unitZh, unitEn; // what a value counts ("条" / "records", "天" / "days")
    QList<ChartSeries> series;
    QList<ChartBar> bars;
};

struct ChartsView {
    QList<Chart> charts;

    QJsonObject toJson() const
    {
        QJsonArray out;
        for (const Chart &c : charts) {
            QJsonArray series, bars;
            for (const ChartSeries &s : c.series)
                series.append(QJsonObject{{"key", s.key}, {"zh", s.zh}, {"en", s.en}});
            for (const ChartBar &b : c.bars) {
                QJsonArray values;
                for (double v : b.values)
                    values.append(v);
                bars.append(QJsonObject{{"zh", b.zh},
                                        {"en", b.en},
                                        {"values", values},
                                        {"queries", QJsonArray::fromStringList(b.queries)}});
            }
            out.append(QJsonObject{{"key", c.key},
                                   {"zh", c.zh},
                                   {"en", c.en},
                                   {"unit", QJsonObject{{"zh", c.unitZh}, {"en", c.unitEn}}},
                                   {"series", series},
                                   {"bars", bars}});
        }
        return QJsonObject{{"charts", out}};
    }
};

} // namespace Kb
