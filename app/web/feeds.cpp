#include "web/feeds.h"

#include <QDate>
#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace kb::web {

namespace {

std::string xmlEscaped(const std::string &s)
{
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            // XML 1.0 has no place for other control characters, even escaped.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t')
                out += c;
        }
    }
    return out;
}

// A date as Atom's instant: the record's day at midnight UTC.
std::string atomTime(const std::string &date)
{
    return QDate::fromString(QString::fromStdString(date), Qt::ISODate).isValid()
               ? date + "T00:00:00Z"
               : "1970-01-01T00:00:00Z";
}

std::string utf8Prefix(const std::string &s, std::size_t maxChars)
{
    std::size_t chars = 0, i = 0;
    while (i < s.size() && chars < maxChars) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80)
            ++i;
        ++chars;
    }
    return i < s.size() ? s.substr(0, i) + "…" : s;
}

// TEXT values of RFC 5545 (3.3.11): backslash, semicolon, comma and newline escaped.
std::string icalText(const std::string &s)
{
    std::string out;
    for (const char c : s) {
        if (c == '\\' || c == ';' || c == ',')
            out += std::string("\\") + c;
        else if (c == '\n')
            out += "\\n";
        else if (static_cast<unsigned char>(c) >= 0x20 || c == '\t')
            out += c;
    }
    return out;
}

// A content line folded at 75 octets (3.1), never inside a UTF-8 character, with CRLF.
std::string icalLine(const std::string &line)
{
    std::string out;
    std::size_t start = 0, limit = 75;
    while (line.size() - start > limit) {
        std::size_t cut = start + limit;
        while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
            --cut;
        out += line.substr(start, cut - start) + "\r\n ";
        start = cut;
        limit = 74; // the leading space counts
    }
    return out + line.substr(start) + "\r\n";
}

} // namespace

std::string firstParagraph(const std::string &markdown, std::size_t maxChars)
{
    std::string para;
    std::size_t at = 0;
    bool fenced = false;
    while (at < markdown.size()) {
        std::size_t end = markdown.find('\n', at);
        if (end == std::string::npos)
            end = markdown.size();
        std::string line = markdown.substr(at, end - at);
        at = end + 1;
        line.erase(0, line.find_first_not_of(" \t"));
        line.erase(line.find_last_not_of(" \t\r") + 1);
        if (line.rfind("```", 0) == 0 || line.rfind("~~~", 0) == 0) {
            fenced = !fenced;
            continue;
        }
        if (fenced || line.rfind("<!--", 0) == 0 || line.rfind('#', 0) == 0 ||
            line.rfind('|', 0) == 0) {
            if (!para.empty() && !fenced)
                break;
            continue;
        }
        if (line.empty()) {
            if (!para.empty())
                break;
            continue;
        }
        // List markers and quotes are layout, not words.
        while (!line.empty() && (line[0] == '-' || line[0] == '*' || line[0] == '>' ||
                                 line[0] == '+' || line[0] == ' '))
            line.erase(0, 1);
        para += (para.empty() ? "" : " ") + line;
    }
    para.erase(std::remove_if(para.begin(), para.end(), [](char c) { return c == '`'; }),
               para.end());
    return utf8Prefix(para, maxChars);
}

std::string atomFeed(const std::string &title, const std::string &baseUrl,
                     const std::string &selfPath, const std::vector<FeedEntry> &entries)
{
    std::string updated = "1970-01-01";
    for (const FeedEntry &e : entries)
        updated = std::max(updated, e.date);
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "  <title>" + xmlEscaped(title) + "</title>\n";
    out += "  <id>" + xmlEscaped(baseUrl + selfPath) + "</id>\n";
    out += "  <link rel=\"self\" href=\"" + xmlEscaped(baseUrl + selfPath) + "\"/>\n";
    out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + xmlEscaped(baseUrl + "/") +
           "\"/>\n";
    out += "  <updated>" + atomTime(updated) + "</updated>\n";
    out += "  <generator>kb</generator>\n";
    for (const FeedEntry &e : entries) {
        const std::string url = baseUrl + "/record/" + e.id;
        out += "  <entry>\n";
        out += "    <id>" + xmlEscaped(url) + "</id>\n";
        out += "    <title>" + xmlEscaped(e.title.empty() ? e.id : e.title) + "</title>\n";
        out +=
            "    <link rel=\"alternate\" type=\"text/html\" href=\"" + xmlEscaped(url) + "\"/>\n";
        out += "    <updated>" + atomTime(e.date) + "</updated>\n";
        out += "    <author><name>" + xmlEscaped(e.author.empty() ? "kb" : e.author) +
               "</name></author>\n";
        out += "    <category term=\"" + xmlEscaped(e.type) + "\" label=\"" +
               xmlEscaped(e.typeLabel.empty() ? e.type : e.typeLabel) + "\"/>\n";
        if (!e.summary.empty())
            out += "    <summary>" + xmlEscaped(e.summary) + "</summary>\n";
        out += "  </entry>\n";
    }
    return out + "</feed>\n";
}

std::string boardCalendar(const QJsonObject &board, const std::vector<std::string> &closedColumns,
                          const std::string &calendarName, const std::string &baseUrl)
{
    const std::string field = board.value("field").toString().toStdString();
    const std::string stamp =
        QDateTime::currentDateTimeUtc().toString("yyyyMMdd'T'HHmmss'Z'").toStdString();
    std::string host =
        baseUrl.substr(baseUrl.find("://") == std::string::npos ? 0 : baseUrl.find("://") + 3);
    host = host.substr(0, host.find('/'));
    std::string out = icalLine("BEGIN:VCALENDAR") + icalLine("VERSION:2.0") +
                      icalLine("PRODID:-//kb//board calendar//EN") +
                      icalLine("CALSCALE:GREGORIAN") + icalLine("METHOD:PUBLISH") +
                      icalLine("X-WR-CALNAME:" + icalText(calendarName));
    for (const QJsonValue &v : board.value("cards").toArray()) {
        const QJsonObject card = v.toObject();
        const QDate due = QDate::fromString(card.value("due").toString(), Qt::ISODate);
        const std::string column =
            card.value(QString::fromStdString(field)).toString().toStdString();
        if (!due.isValid() ||
            std::find(closedColumns.begin(), closedColumns.end(), column) != closedColumns.end())
            continue;
        std::string columnLabel = column; // its label, as the board shows it
        for (const QJsonValue &c : board.value("columns").toArray())
            if (c.toObject().value("value").toString().toStdString() == column) {
                const QString zh = c.toObject().value("zh").toString(),
                              en = c.toObject().value("en").toString();
                columnLabel = (zh.isEmpty() || zh == en ? en
                               : en.isEmpty()           ? zh
                                                        : zh + " / " + en)
                                  .toStdString();
                if (columnLabel.empty())
                    columnLabel = column;
            }
        const std::string id = card.value("id").toString().toStdString();
        const std::string owner = card.value("owner").toString().toStdString();
        const std::string url = baseUrl + "/record/" + id;
        out += icalLine("BEGIN:VEVENT");
        // One event per record: a moved due date updates it in the subscriber's calendar.
        out += icalLine("UID:" + icalText(id) + "@" + icalText(host.empty() ? "kb" : host));
        out += icalLine("DTSTAMP:" + stamp);
        out += icalLine("DTSTART;VALUE=DATE:" + due.toString("yyyyMMdd").toStdString());
        out += icalLine("DTEND;VALUE=DATE:" + due.addDays(1).toString("yyyyMMdd").toStdString());
        out += icalLine("SUMMARY:" + icalText(card.value("title").toString().toStdString()));
        out += icalLine("DESCRIPTION:" +
                        icalText((owner.empty() ? "" : owner + " · ") + columnLabel + " · " + url));
        out += icalLine("URL:" + url);
        if (card.value("overdue").toBool())
            out += icalLine("CATEGORIES:overdue");
        out += icalLine("TRANSP:TRANSPARENT");
        out += icalLine("END:VEVENT");
    }
    return out + icalLine("END:VCALENDAR");
}

} // namespace kb::web
