#include "rawhttp.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace kbtest {

RawConnection::RawConnection(int port, const std::string &address)
{
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    if (fd_ < 0 || inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1 ||
        ::connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect to " + address + ":" + std::to_string(port));
}

RawConnection::~RawConnection()
{
    if (fd_ >= 0)
        ::close(fd_);
}

bool RawConnection::send(const std::string &bytes)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        done += std::size_t(n);
    }
    return true;
}

int RawConnection::receive(std::chrono::steady_clock::time_point end, std::string *into)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    pollfd p{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, int(left.count())) <= 0)
        return -1;
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0)
        return 0;
    into->append(buf, std::size_t(n));
    return 1;
}

std::string RawConnection::response(int timeoutMs)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::string got;
    while (true) {
        const std::size_t headerEnd = got.find("\r\n\r\n");
        if (headerEnd != std::string::npos) {
            const std::size_t cl = got.find("Content-Length: ");
            if (cl != std::string::npos && cl < headerEnd &&
                got.size() >= headerEnd + 4 + std::stoul(got.substr(cl + 16)))
                return got;
        }
        if (receive(end, &got) <= 0)
            return got;
    }
}

bool RawConnection::closedWithin(int timeoutMs)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    std::string dropped;
    int r = 1;
    while (r > 0) {
        dropped.clear();
        r = receive(end, &dropped);
    }
    return r == 0;
}

std::string nonLoopbackAddress()
{
    ifaddrs *list = nullptr;
    if (::getifaddrs(&list) != 0)
        return {};
    std::string found;
    for (ifaddrs *i = list; i && found.empty(); i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
            continue;
        const in_addr a = reinterpret_cast<sockaddr_in *>(i->ifa_addr)->sin_addr;
        if ((ntohl(a.s_addr) >> 24) == 127)
            continue;
        char text[INET_ADDRSTRLEN] = {};
        inet_ntop(AF_INET, &a, text, sizeof text);
        found = text;
    }
    ::freeifaddrs(list);
    return found;
}

std::string roundTrip(int port, const std::string &request, int timeoutMs)
{
    RawConnection c(port);
    c.send(request);
    return c.response(timeoutMs);
}

int statusOf(const std::string &response)
{
    if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12)
        return 0;
    return std::atoi(response.c_str() + 9);
}

std::string bodyOf(const std::string &response)
{
    const std::size_t end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}

} // namespace kbtest
