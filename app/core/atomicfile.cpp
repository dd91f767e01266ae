#include "atomicfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdio.h>
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

} // namespace

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
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        *error = path + ": write failed: " + std::strerror(savedErrno);
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
