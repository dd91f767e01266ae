// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Kb {
// A record as plugins see it: front matter as JSON (scalars are strings, lists are
// arrays, booleans are booleans where the schema says bool), body as Markdown.
struct RecordData {
    QString id;
    QString path; // relative to the knowledge-base root
    QJsonObject fields;
    QString body;

    // A scalar field as text; empty when absent, empty or not a string.
    QString text(const QString &key) const { return fields.value(key).toString(); }

    // A list field's items; a scalar counts as a one-item list.
    QStringList list(const QString &key) const
    {
        const QJsonValue v = fields.value(key);
        QStringList out;
        if (v.isArray()) {
            for (const auto &item : v.toArray())
                out << item.toString();
        } else if (!v.toString().isEmpty()) {
            out << v.toString();
        }
        return out;
    }
};
} // namespace Kb
