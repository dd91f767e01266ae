// SPDX-License-Identifier: MIT
// Words for what a record holds, for the pages and reports a plugin prints: an enum value
// by its label (never the code), and the first paragraph of one of a record's sections.
#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Kb {

// The label a manifest gives `value` of `field` ("ValueLabels") in `lang` ("zh" or "en"),
// read from Host::recordTypeSchema(type); the value itself when it has none.
inline QString valueLabel(const QJsonObject &typeSchema, const QString &field, const QString &value,
                          const QString &lang)
{
    for (const QJsonValue &f : typeSchema.value(QStringLiteral("fields")).toArray()) {
        const QJsonObject spec = f.toObject();
        if (spec.value(QStringLiteral("name")).toString() != field)
            continue;
        const QString label = spec.value(QStringLiteral("value_labels"))
                                  .toObject()
                                  .value(value)
                                  .toObject()
                                  .value(lang)
                                  .toString();
        return label.isEmpty() ? value : label;
    }
    return value;
}

// "zh / en" (or one of them when both are the same): for output read in either language.
inline QString valueLabels(const QJsonObject &typeSchema, const QString &field,
                           const QString &value)
{
    const QString zh = valueLabel(typeSchema, field, value, QStringLiteral("zh")),
                  en = valueLabel(typeSchema, field, value, QStringLiteral("en"));
    return zh == en ? zh : zh + QStringLiteral(" / ") + en;
}

// The first paragraph under the Markdown heading of a record's body that contains
// `heading` ("经验教训" finds "## 经验教训 / Lessons"), joined into one line; "" when the
// section is missing or empty.
inline QString sectionParagraph(const QString &body, const QString &heading)
{
    QString out;
    bool inside = false;
    for (const QString &line : body.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1Char('#'))) {
            if (inside && !out.isEmpty())
                break;
            inside = line.contains(heading);
            continue;
        }
        if (!inside || line.trimmed().startsWith(QStringLiteral("<!--")))
            continue;
        if (line.trimmed().isEmpty()) {
            if (!out.isEmpty())
                break;
            continue;
        }
        out += (out.isEmpty() ? QString() : QStringLiteral(" ")) + line.trimmed();
    }
    return out;
}

} // namespace Kb
