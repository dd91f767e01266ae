#pragma once

#include "web/apiresponse.h"
#include "web/requestvalues.h"

#include <QJsonObject>

#include <string>

namespace kb {
class ReaderScope;
class Session;

namespace web {

// The views plugins declare (boards, journeys, briefs, markdown reports), run for the web:
// the plugin's verb reads records through the reader's scope, and what it printed is the
// view's data. Under the session's lock.
ApiResponse runView(Session &session, const ReaderScope &reader, const std::string &pluginId,
                    const std::string &name, const Params &p);
// A card moved on a board: the board's move verb, with the card's id, its new column and
// an optional note ({"id", "to", "note"}).
ApiResponse moveBoardCard(Session &session, const ReaderScope &reader, const std::string &pluginId,
                          const std::string &name, const QJsonObject &in);

} // namespace web
} // namespace kb
