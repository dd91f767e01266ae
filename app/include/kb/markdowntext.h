// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Kb {

// Record text (a title, an owner, any field value) placed inside a line of Markdown a
// plugin prints, as plain text: the characters that open emphasis, code, links, images,
// HTML and entities are backslash-escaped and line breaks become spaces, so a title such as
// "[请重新登录](https://example.com)" shows as those characters, never as a link, and
// "<img ...>" never as HTML. Use it for every value you did not write yourself.
inline QString markdownText(const QString &text)
{
    static const QString special = QStringLiteral("\\`*_[]<>&");
    QString out;
    out.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            out += QLatin1Char(' ');
        else if (special.contains(c))
            out += QLatin1Char('\\') + QString(c);
        else
            out += c;
    }
    return out;
}

} // namespace Kb
