#pragma once

#include <QByteArray>

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace kb::web {

// Answers of recent searches, least recently used out first. Keyed by the index version
// and every request parameter (the caller's clearance included): a repeated search (the
// next visitor, paging back) costs a lookup, and a commit changes the version, so a
// cached answer is never stale. Thread-safe.
class ResponseCache {
public:
    explicit ResponseCache(std::size_t capacity) : capacity_(capacity) {}

    std::optional<QByteArray> find(const std::string &key);
    void put(const std::string &key, const QByteArray &body);

private:
    const std::size_t capacity_;
    std::mutex mutex_;
    std::list<std::pair<std::string, QByteArray>> entries_; // most recent first
    std::unordered_map<std::string, decltype(entries_)::iterator> index_;
};

} // namespace kb::web
