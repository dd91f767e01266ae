#include "indexer/indexlocation.h"

#include "core/atomicfile.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace kb::search {

IndexLocation::IndexLocation(std::string rootDir) : dir_(std::move(rootDir) + "/.kb") {}

std::string IndexLocation::current() const
{
    std::string name, error;
    if (!readWholeFile(dir_ + "/current", &name, &error))
        return {};
    while (!name.empty() && (name.back() == '\n' || name.back() == ' '))
        name.pop_back();
    // Only a plain folder name inside .kb is accepted.
    if (name.empty() || name.find('/') != std::string::npos || name[0] == '.')
        return {};
    std::error_code ec;
    if (!fs::is_directory(dir_ + "/" + name, ec))
        return {};
    return dir_ + "/" + name;
}

bool IndexLocation::setCurrent(const std::string &databaseDir, std::string *error) const
{
    const std::string name = fs::path(databaseDir).filename().string();
    return writeFileAtomically(dir_ + "/current", name + "\n", false, error);
}

std::string IndexLocation::newDatabaseDir() const
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return dir_ + "/db-" +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) +
           "-" + std::to_string(::getpid());
}

void IndexLocation::removeStale() const
{
    const std::string live = current();
    std::error_code ec;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("db-", 0) == 0 && it->path().string() != live)
            fs::remove_all(it->path(), ec);
        else if (isStaleTemporary(it->path().string()))
            fs::remove(it->path(), ec);
    }
}

IndexLock::~IndexLock()
{
    release();
}

void IndexLock::release()
{
    if (fd_ >= 0)
        ::close(fd_); // releases the flock
    fd_ = -1;
}

bool IndexLock::acquire(const IndexLocation &where, int timeoutMs, void (*onWait)(long),
                        std::string *error)
{
    std::error_code ec;
    fs::create_directories(where.dir(), ec);
    const std::string path = where.dir() + "/lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        *error = "cannot open " + path + ": " + std::strerror(errno);
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    bool told = false;
    long holder = 0;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            *error = "cannot lock " + path + ": " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        char buf[32] = {};
        if (::pread(fd, buf, sizeof buf - 1, 0) > 0)
            holder = std::atol(buf);
        if (!told && onWait) {
            onWait(holder);
            told = true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            *error = "the index is locked by another kb process" +
                     (holder > 0 ? " (pid " + std::to_string(holder) + ")" : std::string()) +
                     "; gave up after " + std::to_string(timeoutMs / 1000.0).substr(0, 4) +
                     " s. Try again when it has finished, or raise KB_LOCK_TIMEOUT";
            ::close(fd);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The pid is only for the waiting message; the lock itself is held.
    }
    fd_ = fd;
    return true;
}

int defaultLockTimeoutMs()
{
    if (const char *t = std::getenv("KB_LOCK_TIMEOUT"); t && *t) {
        char *end = nullptr;
        double s = std::strtod(t, &end);
        if (end != t && s >= 0 && s < 86400)
            return int(s * 1000);
    }
    return 30000;
}

} // namespace kb::search
