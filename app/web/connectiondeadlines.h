#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace kb::web {

// Deadlines per connection, enforced from outside the HTTP library's event loops: a
// connection that sends its headers (or its body) slower than allowed is shut down, so a
// client dripping one byte a second holds a socket for seconds, not forever. The library
// notifies a connection's start and end; a request moves it from phase to phase.
class ConnectionDeadlines {
public:
    using Clock = std::chrono::steady_clock;

    // `perAddress`: connections one remote address may hold at once (0: no limit); past
    // it a new one is shut down at once. Loopback is exempt: a proxy on this machine is
    // one address for all its clients.
    ConnectionDeadlines(std::chrono::seconds headerTimeout, std::chrono::seconds bodyTimeout,
                        std::size_t perAddress = 0);
    ~ConnectionDeadlines();
    ConnectionDeadlines(const ConnectionDeadlines &) = delete;
    ConnectionDeadlines &operator=(const ConnectionDeadlines &) = delete;

    // Waiting for headers from now. `address` is the remote address ("" for loopback).
    void opened(const void *connection, int fd, const std::string &address);
    void closed(const void *connection);      // before the library closes the socket
    void headersDone(const void *connection); // reading the body from now
    void handling(const void *connection);    // no deadline while kb answers
    void answered(const void *connection);    // waiting for the next request's headers

    std::size_t open() const;
    // Whether the connection came past its address's share (it is being closed).
    bool overShare(const void *connection) const;

private:
    void set(const void *connection, Clock::time_point deadline);
    void reap();

    const std::chrono::seconds headerTimeout_, bodyTimeout_;
    const std::size_t perAddress_;
    struct Entry {
        int fd;
        Clock::time_point deadline; // max(): none
        std::string address;
        bool overShare = false;
    };
    std::unordered_map<std::string, std::size_t> perAddressCount_;
    mutable std::mutex mutex_;
    std::unordered_map<const void *, Entry> entries_;
    std::condition_variable wake_;
    bool quitting_ = false;
    std::thread reaper_;
};

} // namespace kb::web
