// The slowloris side of the load run: holds N connections to a server open while wrk
// measures everybody else. Half are idle (connected, nothing sent), half drip a request
// line one byte a second; any the server closes are opened again at once, so the
// pressure lasts as long as this runs.
//   kb-holdconns PORT [COUNT=200] [SECONDS=60]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

int connectTo(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0)
        return fd;
    if (fd >= 0)
        ::close(fd);
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: kb-holdconns PORT [COUNT=200] [SECONDS=60]\n");
        return 2;
    }
    const int port = std::atoi(argv[1]);
    const int count = argc > 2 ? std::atoi(argv[2]) : 200;
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 60;
    const std::string drip = "GET /api/search?q=slow HTTP/1.1\r\nX-Slow: ";
    struct Held {
        int fd = -1;
        std::size_t sent = 0;
    };
    std::vector<Held> held(static_cast<std::size_t>(count));
    long reopened = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        for (std::size_t i = 0; i < held.size(); ++i) {
            Held &h = held[i];
            if (h.fd >= 0) {
                pollfd p{h.fd, POLLIN, 0};
                char buf[512];
                if (::poll(&p, 1, 0) > 0 && ::recv(h.fd, buf, sizeof buf, MSG_DONTWAIT) <= 0) {
                    ::close(h.fd);
                    h = {};
                    ++reopened;
                }
            }
            if (h.fd < 0)
                h.fd = connectTo(port);
            if (h.fd >= 0 && i % 2 == 1) {
                const char c = h.sent < drip.size() ? drip[h.sent] : 'x';
                if (::send(h.fd, &c, 1, MSG_NOSIGNAL) == 1)
                    ++h.sent;
            }
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    std::printf("kb-holdconns: held %d connections for %d s; the server closed and we reopened "
                "%ld\n",
                count, seconds, reopened);
    return 0;
}
