#pragma once

#include <string>

namespace kb::search {

// Where a root's index lives: `<root>/.kb/`. The live database is the folder named in
// `.kb/current`; a rebuild writes a new folder and swaps that one-line file atomically,
// so readers see the old index or the new one, never a half-built one, and a rebuild
// killed midway leaves the old index in place.
class IndexLocation {
public:
    explicit IndexLocation(std::string rootDir);

    const std::string &dir() const { return dir_; } // <root>/.kb
    // Absolute path of the live database, or "" when there is none yet.
    std::string current() const;
    // Makes `databaseDir` (a folder inside dir()) the live one. False with a reason.
    bool setCurrent(const std::string &databaseDir, std::string *error) const;
    // A fresh folder name for a rebuild.
    std::string newDatabaseDir() const;
    // Removes database folders other than the live one (left by killed rebuilds).
    void removeStale() const;

private:
    std::string dir_;
};

// The single-writer lock (`.kb/lock`, flock). Released by the kernel when the process
// dies, so a kill -9 never leaves a stale lock behind.
class IndexLock {
public:
    IndexLock() = default;
    ~IndexLock();
    IndexLock(const IndexLock &) = delete;
    IndexLock &operator=(const IndexLock &) = delete;

    // Waits up to `timeoutMs` for the lock. `onWait` is called once if it has to wait,
    // with the pid of the holder when known. False with a message on timeout or error.
    bool acquire(const IndexLocation &where, int timeoutMs, void (*onWait)(long holderPid),
                 std::string *error);
    bool held() const { return fd_ >= 0; }
    void release();

private:
    int fd_ = -1;
};

// Default lock wait in milliseconds: $KB_LOCK_TIMEOUT (seconds) or 30 s.
int defaultLockTimeoutMs();

} // namespace kb::search
