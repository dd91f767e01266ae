#include "cli/commands.h"
#include "core/displaytext.h"
#include "indexer/indexlocation.h"
#include "indexer/indexsync.h"
#include "services/args.h"
#include "services/output.h"
#include "services/session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace kb {
namespace {

void sayWaiting(long pid)
{
    printErr("kb index: waiting for the index lock" +
             (pid > 0 ? " held by pid " + std::to_string(pid) : std::string()) + " ...\n");
}

// A one-line bar on the terminal: count, rate and how far along.
class ProgressBar {
public:
    void operator()(std::size_t done, std::size_t total)
    {
        if (total < 200)
            return;
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const int width = 30;
        const int filled = int(width * done / total);
        std::fprintf(stderr, "\r  indexing [%s%s] %zu/%zu  %.0f files/s ",
                     std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                     done, total, elapsed > 0 ? done / elapsed : 0.0);
        if (done == total)
            std::fprintf(stderr, "\n");
        std::fflush(stderr);
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Runs a sync and prints the problems it found (broken files, every run).
bool syncAndReport(Session &s, const search::SyncOptions &options, search::SyncReport *report,
                   std::string *error)
{
    if (!search::syncIndex(s.root(), s.indexSchema(), options, report, error))
        return false;
    for (const Finding &f : report->findings)
        printErr((f.path.empty() ? "" : displayLine(f.path) + ": ") + displayLine(f.message) +
                 "\n");
    return true;
}

} // namespace

bool ensureIndex(Session &s, bool announce, std::string *error)
{
    search::SyncOptions options;
    options.lockTimeoutMs = search::defaultLockTimeoutMs();
    if (announce) {
        options.onLockWait = sayWaiting;
        options.progress = ProgressBar();
    }
    search::SyncReport report;
    return syncAndReport(s, options, &report, error);
}

int runIndex(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"rebuild", false, "start over: build a new index from every file"},
        {"json", false, "print the summary as JSON"},
    };
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("index", error);
    if (a.help) {
        printOut("Usage: kb index [--rebuild] [--json]\n\n"
                 "Brings the search index (<root>/.kb) up to date: reads files whose time or\n"
                 "size changed, drops deleted ones, rebuilds when plugins or vocabularies\n"
                 "changed. Waits up to KB_LOCK_TIMEOUT seconds (30) for another writer.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (!a.positional.empty())
        return usageError("index", "takes no arguments");
    if (!s.openRoot(&error))
        return environmentError(error);
    search::SyncOptions options;
    options.rebuild = a.flag("rebuild");
    options.lockTimeoutMs = search::defaultLockTimeoutMs();
    options.onLockWait = sayWaiting;
    if (::isatty(2))
        options.progress = ProgressBar();
    search::SyncReport report;
    if (!syncAndReport(s, options, &report, &error))
        return environmentError(error);
    const std::size_t files = report.added + report.updated + report.unchanged;
    if (a.flag("json")) {
        QJsonObject o{{"files", qint64(files)},
                      {"added", qint64(report.added)},
                      {"updated", qint64(report.updated)},
                      {"removed", qint64(report.removed)},
                      {"unchanged", qint64(report.unchanged)},
                      {"rebuilt", report.rebuilt},
                      {"problems", qint64(report.findings.size())},
                      {"seconds", report.seconds}};
        if (report.rebuilt)
            o["reason"] = QString::fromStdString(report.rebuildReason);
        printJson(QJsonDocument(o));
        return 0;
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", report.seconds);
    printOut("kb index: " + std::to_string(files) + " files: " + std::to_string(report.added) +
             " added, " + std::to_string(report.updated) + " updated, " +
             std::to_string(report.removed) + " removed, " + std::to_string(report.unchanged) +
             " unchanged in " + secs + " s" +
             (report.rebuilt ? " (rebuilt: " + report.rebuildReason + ")" : std::string()) +
             (report.findings.empty()
                  ? std::string()
                  : "; " + std::to_string(report.findings.size()) + " problem(s) reported") +
             "\n");
    return 0;
}

} // namespace kb
