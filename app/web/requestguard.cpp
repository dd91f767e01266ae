#include "requestguard.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace kb::web {
namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool isWrite(const std::string &method)
{
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

} // namespace

bool ServeConfig::loopback() const
{
    if (host == "localhost")
        return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

bool sameSecret(const std::string &given, const std::string &secret)
{
    if (secret.empty())
        return false;
    std::size_t diff = given.size() ^ secret.size();
    for (std::size_t i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ secret[i % secret.size()]);
    return diff == 0;
}

Verdict judge(const ServeConfig &config, int boundPort, const RequestFacts &r)
{
    Verdict v;
    const std::string host = lower(r.host);
    if (config.loopback()) {
        const std::string port = ":" + std::to_string(boundPort);
        const bool known = host == "127.0.0.1" + port || host == "localhost" + port ||
                           host == "[::1]" + port || host == lower(config.host) + port;
        if (!known) {
            v.status = 421;
            v.message = "this server answers only to 127.0.0.1" + port + " and localhost" + port;
            return v;
        }
    }
    std::string token;
    if (r.authorization.rfind("Bearer ", 0) == 0)
        token = r.authorization.substr(7);
    const bool tokenOk = !config.token.empty() && sameSecret(token, config.token);
    if (!token.empty() && !tokenOk) {
        v.status = 401;
        v.message = "the token is not valid";
        return v;
    }
    v.write = config.loopback() || tokenOk;
    v.restricted = config.loopback() || tokenOk;
    if (!isWrite(r.method))
        return v;

    const std::string site = lower(r.secFetchSite);
    if (!site.empty() && site != "same-origin" && site != "none") {
        v.status = 403;
        v.message = "cross-site request refused";
        return v;
    }
    if (!r.origin.empty() && lower(r.origin) != "http://" + host) {
        v.status = 403;
        v.message = "cross-origin request refused (Origin " + r.origin + ")";
        return v;
    }
    if (r.requestedWith != "1" || lower(r.contentType).rfind("application/json", 0) != 0) {
        v.status = 403;
        v.message = "writes must be JSON requests with the header X-KB-Request: 1 (CSRF guard)";
        return v;
    }
    if (!v.write) {
        v.status = config.token.empty() ? 403 : 401;
        v.message = config.token.empty()
                        ? "this server is read-only: it listens beyond loopback without a token"
                        : "writing needs the token (Authorization: Bearer TOKEN)";
        return v;
    }
    return v;
}

} // namespace kb::web
