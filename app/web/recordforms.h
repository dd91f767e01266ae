#pragma once

#include "web/apiresponse.h"

#include <QJsonObject>

#include <string>

namespace kb {
class ReaderScope;
class Session;

namespace web {

// The record form's writes, through the same checked path as `kb new` and `kb edit`:
// values coerced as the CLI would read them, problems answered by field (422), a rule
// that says no answered with its message. Under the session's lock.

// POST /api/records: {"type", "title", "date", "fields": {...}, "sections": [...]}.
ApiResponse createFromForm(Session &session, const QJsonObject &in);
// PUT /api/records/ID: {"version", "fields": {...}, "body"}. Only the keys whose values
// changed are written; a save against an older version is refused (409). `wrote` tells
// whether the file changed.
ApiResponse updateFromForm(Session &session, const ReaderScope &reader, const std::string &id,
                           const QJsonObject &in, bool *wrote);

} // namespace web
} // namespace kb
