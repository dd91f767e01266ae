#include "web/connectiondeadlines.h"

#include <sys/socket.h>

namespace kb::web {

ConnectionDeadlines::ConnectionDeadlines(std::chrono::seconds headerTimeout,
                                         std::chrono::seconds bodyTimeout, std::size_t perAddress)
    : headerTimeout_(headerTimeout), bodyTimeout_(bodyTimeout), perAddress_(perAddress),
      reaper_([this] { reap(); })
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

void ConnectionDeadlines::opened(const void *connection, int fd, const std::string &address)
{
    bool over = false;
    {
        std::lock_guard lock(mutex_);
        over = !address.empty() && ++perAddressCount_[address] > perAddress_ && perAddress_ > 0;
        // Over its address's share: closed by the reaper now, refused if it asks first.
        entries_[connection] = {fd, over ? Clock::now() : Clock::now() + headerTimeout_, address,
                                over};
    }
    if (over)
        wake_.notify_one();
}

bool ConnectionDeadlines::overShare(const void *connection) const
{
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(connection);
    return it != entries_.end() && it->second.overShare;
}

void ConnectionDeadlines::closed(const void *connection)
{
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(connection);
    if (it == entries_.end())
        return;
    if (!it->second.address.empty()) {
        const auto count = perAddressCount_.find(it->second.address);
        if (count != perAddressCount_.end() && --count->second == 0)
            perAddressCount_.erase(count);
    }
    entries_.erase(it);
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
