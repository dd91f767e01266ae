#include "web/requestguard.h"

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

// host[:port] as RFC 9110 allows it: a reg-name of letters, digits, '.', '-', or an IPv4
// literal, or a bracketed IPv6 literal; then an optional port of digits.
bool wellFormedHost(const std::string &h)
{
    if (h.empty() || h.size() > 300)
        return false;
    std::size_t portStart = std::string::npos;
    if (h[0] == '[') {
        const std::size_t close = h.find(']');
        if (close == std::string::npos)
            return false;
        in6_addr v6{};
        if (inet_pton(AF_INET6, h.substr(1, close - 1).c_str(), &v6) != 1)
            return false;
        if (close + 1 < h.size()) {
            if (h[close + 1] != ':')
                return false;
            portStart = close + 2;
        }
    } else {
        const std::size_t colon = h.find(':');
        const std::string name = h.substr(0, colon);
        if (name.empty() || !std::all_of(name.begin(), name.end(), [](unsigned char c) {
                return std::isalnum(c) || c == '.' || c == '-';
            }))
            return false;
        if (colon != std::string::npos)
            portStart = colon + 1;
    }
    if (portStart == std::string::npos)
        return true;
    const std::string port = h.substr(portStart);
    return !port.empty() && port.size() <= 5 &&
           std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The host part of a well-formed host[:port] and whether it is an IP literal.
bool isIpLiteral(const std::string &h)
{
    if (h[0] == '[')
        return true;
    const std::string name = h.substr(0, h.find(':'));
    in_addr v4{};
    return inet_pton(AF_INET, name.c_str(), &v4) == 1;
}

bool knownHost(const ServeConfig &config, int boundPort, const std::string &host)
{
    const std::string port = ":" + std::to_string(boundPort);
    if (host == "127.0.0.1" + port || host == "localhost" + port || host == "[::1]" + port ||
        host == lower(config.host) + port)
        return true;
    // A rebinding page reaches the server under its own DNS name, never an IP literal.
    if (!config.loopback() && isIpLiteral(host))
        return true;
    // The names people reach it by, directly or through a reverse proxy on loopback.
    for (const std::string &url : config.publicUrls) {
        std::string error;
        const std::string authority = urlAuthority(url, &error);
        if (host == authority)
            return true;
        // "https://kb.example.com" is reached as Host kb.example.com or kb.example.com:443.
        if (authority.find(':') == std::string::npos &&
            (host == authority + ":443" || host == authority + ":80"))
            return true;
    }
    return false;
}

} // namespace

Verdict judge(const ServeConfig &config, int boundPort, const RequestFacts &r)
{
    Verdict v;
    if (r.hosts.size() != 1 || !wellFormedHost(r.hosts[0])) {
        v.status = 400;
        v.message = r.hosts.empty()      ? "the request has no Host header"
                    : r.hosts.size() > 1 ? "the request has more than one Host header"
                                         : "the Host header is not a host name and port";
        return v;
    }
    const std::string host = lower(r.hosts[0]);
    if (!knownHost(config, boundPort, host)) {
        v.status = 421;
        v.message = config.loopback()
                        ? "this server answers only to 127.0.0.1:" + std::to_string(boundPort) +
                              " and localhost:" + std::to_string(boundPort)
                        : "this server answers only to the names of its public URL";
        return v;
    }
    std::string token;
    if (r.authorization.rfind("Bearer ", 0) == 0)
        token = r.authorization.substr(7);
    const bool tokenOk = !config.token.empty() && sameSecret(token, config.token);
    const bool personalToken = !token.empty() && !tokenOk && !r.tokenUser.empty();
    if (!token.empty() && !tokenOk && !personalToken) {
        v.status = 401;
        v.message = "the token is not valid";
        return v;
    }
    v.write = config.loopback() || tokenOk;
    v.restricted = config.loopback() || tokenOk;
    const auto inAnyOf = [](const std::vector<std::string> &groups,
                            const std::vector<std::string> &wanted) {
        return std::any_of(groups.begin(), groups.end(), [&](const std::string &g) {
            return std::find(wanted.begin(), wanted.end(), g) != wanted.end();
        });
    };
    if (personalToken) {
        // A person's own token: their groups decide, as for a user the proxy names.
        v.user = r.tokenUser;
        v.write = config.writerGroups.empty() || inAnyOf(r.tokenGroups, config.writerGroups);
        v.restricted = inAnyOf(r.tokenGroups, config.restrictedGroups);
    }
    const bool fromProxy = std::find(config.trustedProxies.begin(), config.trustedProxies.end(),
                                     r.peer) != config.trustedProxies.end();
    if (fromProxy && !personalToken) {
        // Rights come from the person the proxy signed in, not from where it connects.
        v.user = r.remoteUser;
        std::vector<std::string> groups;
        for (std::size_t at = 0; at <= r.remoteGroups.size();) {
            std::size_t end = r.remoteGroups.find(',', at);
            if (end == std::string::npos)
                end = r.remoteGroups.size();
            std::string g = r.remoteGroups.substr(at, end - at);
            g.erase(0, g.find_first_not_of(' '));
            g.erase(g.find_last_not_of(' ') + 1);
            if (!g.empty())
                groups.push_back(g);
            at = end + 1;
        }
        const bool signedIn = !v.user.empty();
        v.write =
            tokenOk ||
            (signedIn && (config.writerGroups.empty() || inAnyOf(groups, config.writerGroups)));
        v.restricted = tokenOk || (signedIn && inAnyOf(groups, config.restrictedGroups));
    } else if (!r.remoteUser.empty() || !r.remoteGroups.empty()) {
        v.identityIgnored = true; // a forged sign-in: anyone can send the header
    }
    if (!isWrite(r.method))
        return v;

    const std::string site = lower(r.secFetchSite);
    if (!site.empty() && site != "same-origin" && site != "none") {
        v.status = 403;
        v.message = "cross-site request refused";
        return v;
    }
    // The scheme may differ from the server's own: a TLS proxy in front serves https.
    const std::string origin = lower(r.origin);
    if (!origin.empty() && origin != "http://" + host && origin != "https://" + host) {
        v.status = 403;
        v.message = "cross-origin request refused (Origin " + r.origin + ")";
        return v;
    }
    if (r.requestedWith != "1" || lower(r.contentType).rfind("application/json", 0) != 0) {
        v.status = 403;
        v.message = "writes must be JSON requests with the header X-KB-Request: 1 (CSRF guard)";
        return v;
    }
    if (!v.write && (fromProxy || personalToken)) {
        v.status = 403;
        v.message = v.user.empty() ? "writing needs you to sign in (the proxy named no user)"
                                   : "'" + v.user +
                                         "' is in none of the groups that may write "
                                         "(writer_groups in kb.yaml)";
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
