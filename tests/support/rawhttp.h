#pragma once

#include <chrono>
#include <string>

namespace kbtest {

// HTTP as a hostile client speaks it: bytes on a socket, no library to tidy them up.
class RawConnection {
public:
    // Connected to address:port (IPv4), or throws.
    explicit RawConnection(int port, const std::string &address = "127.0.0.1");
    ~RawConnection();
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool send(const std::string &bytes); // false once the server has closed
    // Reads one response (headers and a Content-Length body), or what came until the
    // server closed or `timeoutMs` passed.
    std::string response(int timeoutMs = 10000);
    // Whether the server closes the connection within `timeoutMs` (bytes sent by the
    // server before closing are read and dropped).
    bool closedWithin(int timeoutMs);

private:
    // Waits until `end` for bytes and appends them: 1 when some came, 0 when the server
    // closed (or the socket failed), -1 when the time ran out.
    int receive(std::chrono::steady_clock::time_point end, std::string *into);
    int fd_ = -1;
};

// This machine's first IPv4 address that is not loopback, "" if it has none.
std::string nonLoopbackAddress();

// One request on a fresh connection; the response as read.
std::string roundTrip(int port, const std::string &request, int timeoutMs = 10000);

// The status code of a response ("HTTP/1.1 413 ..." -> 413), 0 if there is none.
int statusOf(const std::string &response);
// The body after the header block.
std::string bodyOf(const std::string &response);

} // namespace kbtest
