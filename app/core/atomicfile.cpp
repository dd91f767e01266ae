#include "core/atomicfile.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace kb {
namespace {

bool writeAll(int fd, const std::string &content)
{
    const char *p = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

void syncDirectoryOf(const std::string &path)
{
    std::string dir = path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// The bytes on disk are the bytes meant: a short write or a bad disk is caught before
// the rename, while the old file is still in place.
bool readsBack(int fd, const std::string &content)
{
    std::string buf(std::min<std::size_t>(content.size(), 1 << 16), '\0');
    std::size_t at = 0;
    while (at < content.size()) {
        ssize_t n = ::pread(fd, buf.data(), std::min(buf.size(), content.size() - at),
                            static_cast<off_t>(at));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || content.compare(at, static_cast<std::size_t>(n), buf.data(),
                                      static_cast<std::size_t>(n)) != 0)
            return false;
        at += static_cast<std::size_t>(n);
    }
    char extra;
    return ::pread(fd, &extra, 1, static_cast<off_t>(at)) == 0;
}

bool hasTemporaryName(std::string_view name)
{
    // `.` NAME `.tmp.` and mkstemp's six characters.
    if (name.size() < 13 || name.front() != '.')
        return false;
    const std::size_t tag = name.size() - 11;
    if (name.substr(tag, 5) != ".tmp.")
        return false;
    for (char c : name.substr(tag + 5))
        if (!std::isalnum(static_cast<unsigned char>(c)))
            return false;
    return true;
}

} // namespace

bool isStaleTemporary(const std::string &path)
{
    const std::size_t slash = path.rfind('/');
    if (!hasTemporaryName(slash == std::string::npos ? path : path.substr(slash + 1)))
        return false;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    return ::time(nullptr) - st.st_mtime > 60;
}

int removeStaleTemporaries(const std::string &dir)
{
    int removed = 0;
    DIR *d = ::opendir(dir.empty() ? "." : dir.c_str());
    if (!d)
        return 0;
    while (dirent *e = ::readdir(d)) {
        const std::string path = (dir.empty() ? "" : dir + "/") + e->d_name;
        if (e->d_name[0] == '.' && isStaleTemporary(path) && ::unlink(path.c_str()) == 0)
            ++removed;
    }
    ::closedir(d);
    return removed;
}

bool writeFileAtomically(const std::string &path, const std::string &content, bool createOnly,
                         std::string *error)
{
    std::string slash =
        path.rfind('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
    std::string name = path.substr(slash.size());
    std::string tmp = slash + "." + name + ".tmp.XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        *error = path + ": cannot create temporary file: " + std::strerror(errno);
        return false;
    }
    // Keep the permissions of the file being replaced; new files get the usual 0644.
    struct stat st {};
    mode_t mode = (::stat(path.c_str(), &st) == 0) ? (st.st_mode & 07777) : 0644;
    ::fchmod(fd, mode);
    bool ok = writeAll(fd, content) && ::fsync(fd) == 0;
    int savedErrno = errno;
    const bool verified = ok && readsBack(fd, content);
    ::close(fd);
    if (!ok || !verified) {
        ::unlink(tmp.c_str());
        *error = path + (ok ? ": the written bytes did not read back the same; nothing replaced"
                            : ": write failed: " + std::string(std::strerror(savedErrno)));
        return false;
    }
    if (createOnly) {
        // link() fails if the target exists, so two writers can never clobber each other.
        if (::link(tmp.c_str(), path.c_str()) != 0) {
            savedErrno = errno;
            ::unlink(tmp.c_str());
            errno = savedErrno;
            *error = path + ": " + std::strerror(savedErrno);
            return false;
        }
        ::unlink(tmp.c_str());
    } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
        savedErrno = errno;
        ::unlink(tmp.c_str());
        *error = path + ": rename failed: " + std::strerror(savedErrno);
        return false;
    }
    syncDirectoryOf(path);
    return true;
}

bool readWholeFile(const std::string &path, std::string *content, std::string *error)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = std::strerror(errno);
        return false;
    }
    content->clear();
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = std::strerror(errno);
            ::close(fd);
            return false;
        }
        if (n == 0)
            break;
        content->append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return true;
}

} // namespace kb
