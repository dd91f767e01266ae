#pragma once

#include <QJsonObject>

#include <string>

namespace kb {
class ReaderScope;
class Session;
struct Record;

namespace web {

// What the record page shows: fields in schema order with their labels, links to the
// records it names and to those naming it, the body as safe HTML, its findings and the
// version an edit must name. Only what the reader may see. Under the session's lock.
QJsonObject recordPageJson(Session &session, const ReaderScope &reader, const Record &r);

// The version of a record's text an edit is made against (a stale save is refused).
std::string recordVersion(const std::string &text);

} // namespace web
} // namespace kb
