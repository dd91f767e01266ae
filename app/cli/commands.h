#pragma once

#include <string>
#include <vector>

#include "services/hostcommands.h"

namespace kb {
class Session;
struct PluginInfo;

using Args = std::vector<std::string>;

int runInit(Session &s, const Args &args);
int runNew(Session &s, const Args &args);
int runShow(Session &s, const Args &args);
int runEdit(Session &s, const Args &args);
int runList(Session &s, const Args &args);
int runCheck(Session &s, const Args &args);
int runPlugins(Session &s, const Args &args);
int runIndex(Session &s, const Args &args);
// Brings the index up to date before a search (progress and lock messages if `announce`).
bool ensureIndex(Session &s, bool announce, std::string *error);
int runSearch(Session &s, const Args &args);
int runSimilar(Session &s, const Args &args);
int runLog(Session &s, const Args &args);
int runRestore(Session &s, const Args &args);
int runToken(Session &s, const Args &args);
int runUser(Session &s, const Args &args);
// The records most like `id` (`kb similar`), for the recurrence check when filing: empty
// when there is no index yet or anything fails (it must never fail the filing).
struct SimilarRecord {
    std::string id, type, title, date;
    bool closed = false; // its work is done ("Closed" values): was it effective?
};
std::vector<SimilarRecord> similarRecords(Session &s, const std::string &id, int limit);
// `kb <plugin> <verb> ...`: a verb a plugin declares in its manifest.
int runPluginVerb(Session &s, const PluginInfo &plugin, const std::string &invokedAs,
                  const Args &args);

} // namespace kb
