#include "web/responsecache.h"

namespace kb::web {

std::optional<QByteArray> ResponseCache::find(const std::string &key)
{
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end())
        return std::nullopt;
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->second;
}

void ResponseCache::put(const std::string &key, const QByteArray &body)
{
    std::lock_guard lock(mutex_);
    if (index_.count(key))
        return;
    entries_.emplace_front(key, body);
    index_[key] = entries_.begin();
    if (entries_.size() > capacity_) {
        index_.erase(entries_.back().first);
        entries_.pop_back();
    }
}

} // namespace kb::web
