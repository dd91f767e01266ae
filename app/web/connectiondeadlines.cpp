#include "connectiondeadlines.h"

#include <sys/socket.h>

namespace kb::web {

ConnectionDeadlines::ConnectionDeadlines(std::chrono::seconds headerTimeout,
                                         std::chrono::seconds bodyTimeout)
    : headerTimeout_(headerTimeout), bodyTimeout_(bodyTimeout), reaper_([this] { reap(); })
{
}

ConnectionDeadlines::~ConnectionDeadlines()
{
    {
        std::lock_guard lock(mutex_);
        quitting_ = true;
    }
    wake_.notify_one();
    reaper_.join();
}

void ConnectionDeadlines::opened(const void *connection, int fd)
{
    std::lock_guard lock(mutex_);
    entries_[connection] = {fd, Clock::now() + headerTimeout_};
}

void ConnectionDeadlines::closed(const void *connection)
{
    std::lock_guard lock(mutex_);
    entries_.erase(connection);
}

void ConnectionDeadlines::set(const void *connection, Clock::time_point deadline)
{
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(connection); it != entries_.end())
        it->second.deadline = deadline;
}

void ConnectionDeadlines::headersDone(const void *connection)
{
    set(connection, Clock::now() + bodyTimeout_);
}

void ConnectionDeadlines::handling(const void *connection)
{
    set(connection, Clock::time_point::max());
}

void ConnectionDeadlines::answered(const void *connection)
{
    set(connection, Clock::now() + headerTimeout_);
}

std::size_t ConnectionDeadlines::open() const
{
    std::lock_guard lock(mutex_);
    return entries_.size();
}

void ConnectionDeadlines::reap()
{
    std::unique_lock lock(mutex_);
    while (!quitting_) {
        wake_.wait_for(lock, std::chrono::milliseconds(250));
        const Clock::time_point now = Clock::now();
        for (auto &[connection, e] : entries_)
            if (e.deadline <= now) {
                // The library closes the socket only after telling closed(), which waits
                // for this lock: the descriptor is still the connection's own. Shutting it
                // down wakes the library's event loop, which then closes it.
                ::shutdown(e.fd, SHUT_RDWR);
                e.deadline = Clock::time_point::max();
            }
    }
}

} // namespace kb::web
