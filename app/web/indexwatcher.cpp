#include "web/indexwatcher.h"

#include "indexer/indexsync.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace kb::web {
namespace {

constexpr int kPollMs = 1000;        // without inotify: look this often
constexpr int kSettleMs = 150;       // after an event: let a burst (git pull) finish
constexpr int kSafetyPollMs = 30000; // with inotify: a full look now and then anyway
constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                             IN_DELETE_SELF | IN_ATTRIB;

} // namespace

IndexWatcher::IndexWatcher(KbRoot root, const search::IndexSchema &schema,
                           std::function<void()> onSynced)
    : root_(std::move(root)), schema_(schema), onSynced_(std::move(onSynced))
{
}

IndexWatcher::~IndexWatcher()
{
    stop();
}

void IndexWatcher::addWatches(const std::string &dir)
{
    if (inotifyFd_ < 0)
        return;
    if (inotify_add_watch(inotifyFd_, dir.c_str(), kEvents) < 0) {
        watchesComplete_ = false; // e.g. max_user_watches reached: fall back to polling
        return;
    }
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] != '.' && it->is_directory(ec))
            addWatches(it->path().string());
    }
}

void IndexWatcher::start()
{
    inotifyFd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    addWatches(root_.dir);
    thread_ = std::thread([this] { run(); });
}

void IndexWatcher::stop()
{
    if (stopping_.exchange(true))
        return;
    if (wakeFd_ >= 0) {
        const uint64_t one = 1;
        (void)!::write(wakeFd_, &one, sizeof one);
    }
    if (thread_.joinable())
        thread_.join();
    if (inotifyFd_ >= 0)
        ::close(inotifyFd_);
    if (wakeFd_ >= 0)
        ::close(wakeFd_);
}

bool IndexWatcher::syncNow(std::string *error, bool background)
{
    std::lock_guard lock(syncMutex_);
    search::SyncOptions options;
    options.lockTimeoutMs = 5000;
    options.threads = background ? 1 : 0;
    search::SyncReport report;
    if (!search::syncIndex(root_, schema_, options, &report, error))
        return false;
    if (report.added || report.updated || report.removed || report.rebuilt)
        onSynced_();
    return true;
}

void IndexWatcher::run()
{
    const bool watching = inotifyFd_ >= 0 && watchesComplete_;
    while (!stopping_) {
        pollfd fds[2] = {{wakeFd_, POLLIN, 0}, {inotifyFd_, POLLIN, 0}};
        const int n = ::poll(fds, watching ? 2 : 1, watching ? kSafetyPollMs : kPollMs);
        if (stopping_)
            break;
        if (watching && n > 0 && (fds[1].revents & POLLIN)) {
            // Drain the burst, then let it settle so one sync covers a whole checkout.
            alignas(inotify_event) char buf[16384];
            do {
                while (::read(inotifyFd_, buf, sizeof buf) > 0) {
                }
            } while (!stopping_ && ::poll(&fds[1], 1, kSettleMs) > 0);
            addWatches(root_.dir); // new folders; existing watches are simply reused
            // Files changed even when the index has nothing to do (kb new from another
            // process indexes its own file): cached records are stale all the same.
            onSynced_();
        }
        std::string error;
        if (!stopping_ && !syncNow(&error, true))
            std::fprintf(stderr, "kb serve: index sync failed: %s\n", error.c_str());
    }
}

} // namespace kb::web
