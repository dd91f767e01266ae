#pragma once

#include "core/kbroot.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace kb::search {
class IndexSchema;
}

namespace kb::web {

// Keeps the index in step with files changed behind the server's back (an editor, a
// `git pull`): inotify on every folder of the root wakes a sync shortly after a change;
// without inotify (or watches exhausted) it polls. `onSynced` runs whenever files changed
// (an inotify event, or a sync that found changes), so callers can drop cached records.
class IndexWatcher {
public:
    IndexWatcher(KbRoot root, const search::IndexSchema &schema, std::function<void()> onSynced);
    ~IndexWatcher();
    IndexWatcher(const IndexWatcher &) = delete;
    IndexWatcher &operator=(const IndexWatcher &) = delete;

    void start();
    void stop();
    // Runs one sync now; false with the reason on failure. In the background it keeps to
    // one analysis thread, so requests keep the other cores.
    bool syncNow(std::string *error, bool background = false);

private:
    void run();
    void addWatches(const std::string &dir);

    KbRoot root_;
    const search::IndexSchema &schema_;
    std::function<void()> onSynced_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::mutex syncMutex_;
    int inotifyFd_ = -1, wakeFd_ = -1;
    bool watchesComplete_ = true;
};

} // namespace kb::web
