#include "web/httptarget.h"

#include <string_view>

namespace kb::web {
namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool decode(const std::string &in, bool plusIsSpace, std::string *out)
{
    out->clear();
    out->reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size())
                return false;
            const int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
            if (hi < 0 || lo < 0 || hi * 16 + lo == 0)
                return false;
            out->push_back(char(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out->push_back(' ');
        } else if (c == '\0') {
            return false;
        } else {
            out->push_back(c);
        }
    }
    return true;
}

} // namespace

bool parseHttpTarget(const std::string &raw, HttpTarget *out)
{
    *out = {};
    // The absolute form ("http://host/path", RFC 9112 3.2.2) names the same path; the
    // Host header is still what the server checks.
    std::string_view target = raw;
    for (std::string_view scheme : {"http://", "https://"})
        if (target.substr(0, scheme.size()) == scheme) {
            const std::size_t slash = target.find('/', scheme.size());
            target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
        }
    const std::size_t q = target.find('?');
    const std::string path(target.substr(0, q));
    if (path.empty() || path[0] != '/' || !decode(path, false, &out->path))
        return false;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        std::string segment;
        if (!decode(path.substr(start, end - start), false, &segment))
            return false;
        if (!segment.empty() || end < path.size())
            out->segments.push_back(std::move(segment));
        start = end + 1;
    }
    if (q == std::string::npos)
        return true;
    const std::string query(target.substr(q + 1, target.find('#', q) - q - 1));
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t amp = query.find('&', pos);
        if (amp == std::string::npos)
            amp = query.size();
        const std::string pair = query.substr(pos, amp - pos);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            std::string key, value;
            if (!decode(pair.substr(0, eq), true, &key) ||
                !decode(eq == std::string::npos ? std::string() : pair.substr(eq + 1), true,
                        &value))
                return false;
            out->query.emplace(std::move(key), std::move(value));
        }
        pos = amp + 1;
    }
    return true;
}

} // namespace kb::web
