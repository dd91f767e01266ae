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

std::vector<std::string> splitGroups(const std::string &list)
{
    std::vector<std::string> groups;
    for (std::size_t at = 0; at <= list.size();) {
        std::size_t end = list.find(',', at);
        if (end == std::string::npos)
            end = list.size();
        std::string g = list.substr(at, end - at);
        g.erase(0, g.find_first_not_of(' '));
        g.erase(g.find_last_not_of(' ') + 1);
        if (!g.empty())
            groups.push_back(g);
        at = end + 1;
    }
    return groups;
}

bool inAnyOf(const std::vector<std::string> &groups, const std::vector<std::string> &wanted)
{
    return std::any_of(groups.begin(), groups.end(), [&](const std::string &g) {
        return std::find(wanted.begin(), wanted.end(), g) != wanted.end();
    });
}

} // namespace

Rights rightsOf(const ServeConfig &config, const std::vector<std::string> &groups)
{
    Rights r;
    r.read = ReadLevel::Internal; // everyone signed in
    if (config.groupRightsGiven) {
        for (const auto &[group, rights] : config.groupRights)
            if (group == "everyone" ||
                std::find(groups.begin(), groups.end(), group) != groups.end())
                r.add(rights);
        return r;
    }
    // The older two keys: writer_groups (none listed: everyone writes), restricted_groups.
    r.file = r.edit = r.move = config.writerGroups.empty() || inAnyOf(groups, config.writerGroups);
    if (inAnyOf(groups, config.restrictedGroups))
        r.read = ReadLevel::Restricted;
    return r;
}

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
    const bool fromProxy = std::find(config.trustedProxies.begin(), config.trustedProxies.end(),
                                     r.peer) != config.trustedProxies.end();
    if (!fromProxy && (!r.remoteUser.empty() || !r.remoteGroups.empty()))
        v.identityIgnored = true; // a forged sign-in: anyone can send the header
    const bool people = !config.trustedProxies.empty() || r.accountsExist || config.anonymousGiven;
    if (tokenOk) {
        v.rights = Rights::everything();
    } else if (personalToken) {
        v.user = r.tokenUser;
        v.rights = rightsOf(config, r.tokenGroups);
    } else if (fromProxy && !r.remoteUser.empty()) {
        // Rights come from the person the proxy signed in, not from where it connects.
        v.user = r.remoteUser;
        v.rights = rightsOf(config, splitGroups(r.remoteGroups));
    } else if (!r.sessionUser.empty()) {
        v.user = r.sessionUser;
        v.rights = rightsOf(config, r.sessionGroups);
    } else if (config.loopback() && !people) {
        v.rights = Rights::everything();
    } else {
        v.rights.read = config.anonymousRead;
    }
    const bool signInRoute = r.path == "/api/login" || r.path == "/api/logout";
    if (!isWrite(r.method)) {
        // Nothing for a stranger where anonymous is none, but the page that lets them in.
        const bool api = r.path.rfind("/api/", 0) == 0;
        if (api && v.rights.read == ReadLevel::None && r.path != "/api/info" && !signInRoute) {
            v.status = 401;
            v.message = "sign in to read this knowledge base (anonymous: none in kb.yaml)";
        }
        return v;
    }

    // A git server's hook carries a token and nothing a browser form could: no CSRF to
    // guard against (no page can attach a bearer token to another site's request).
    if (r.path == "/api/pull" && (tokenOk || personalToken))
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
    // Anyone signed in may change their own password, whatever else they may do.
    const bool ownPassword = r.path == "/api/password" && !v.user.empty();
    if (signInRoute || ownPassword || v.rights.writesAny())
        return v; // which kind of write is allowed is the handler's to say
    if (!v.user.empty()) {
        v.status = 403;
        v.message = "'" + v.user +
                    "' is in none of the groups that may write (serve: groups in "
                    "kb.yaml)";
        return v;
    }
    if (people) {
        v.status = 401;
        v.message = "writing needs you to sign in";
        return v;
    }
    v.status = config.token.empty() ? 403 : 401;
    v.message = config.token.empty()
                    ? "this server is read-only: it listens beyond loopback without a token"
                    : "writing needs the token (Authorization: Bearer TOKEN)";
    return v;
}

} // namespace kb::web
