// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>

namespace Kb {
// A record as plugins see it: front matter as JSON (scalars are strings, lists are
// arrays, booleans are booleans where the schema says bool), body as Markdown.
struct RecordData {
    QString id;
    QString path; // relative to the knowledge-base root
    QJsonObject fields;
    QString body;
};
} // namespace Kb
