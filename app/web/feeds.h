#pragma once

#include <QJsonObject>

#include <string>
#include <vector>

namespace kb {
struct Record;

namespace web {

// Feeds a reader subscribes to outside the browser, built from what the reader may see:
// an Atom feed of records (newest first) for a feed reader or Outlook's RSS folder, and
// an iCalendar of a board's due dates for Outlook, Thunderbird or a phone's calendar.
// Pure functions of their inputs; the server decides what goes in.

struct FeedEntry {
    std::string id, type, typeLabel, title, date, author, summary;
};

// RFC 4287. `baseUrl` ("https://kb.example.com") makes each entry's link and id.
std::string atomFeed(const std::string &title, const std::string &baseUrl,
                     const std::string &selfPath, const std::vector<FeedEntry> &entries);

// The first paragraph of a record's Markdown body as plain text, at most `maxChars`
// characters: what a feed shows of it.
std::string firstParagraph(const std::string &markdown, std::size_t maxChars = 300);

// RFC 5545: one all-day event on its due date for every card of a board view's JSON
// (Kb::BoardView) that has one and is not in one of `closedColumns`.
std::string boardCalendar(const QJsonObject &board, const std::vector<std::string> &closedColumns,
                          const std::string &calendarName, const std::string &baseUrl);

} // namespace web
} // namespace kb
