#pragma once

#include "core/samesecret.h"
#include "services/serveconfig.h"

#include <string>
#include <vector>

namespace kb::web {

// The safety rules every request passes before a handler runs. Kept free of HTTP
// library types so each rule is a plain function of the request's headers.
struct RequestFacts {
    std::string method, path, origin, secFetchSite, contentType, authorization;
    std::vector<std::string> hosts;       // every Host header, as sent (a NUL byte included)
    std::string requestedWith;            // X-KB-Request
    std::string peer;                     // the connection's address ("127.0.0.1", "10.0.0.2")
    std::string remoteUser, remoteGroups; // the proxy's identity headers, if sent
    // The person a per-user API token (`kb token add`) belongs to, when the bearer token
    // is one (the server looks it up before judging); "" otherwise.
    std::string tokenUser;
    std::vector<std::string> tokenGroups;
    // The person signed in on this server's sign-in page, when the session cookie is one
    // of theirs; and whether the server has local accounts at all.
    std::string sessionUser;
    std::vector<std::string> sessionGroups;
    bool accountsExist = false;
};

struct Verdict {
    int status = 0; // 0: allowed
    std::string message;
    Rights rights;    // what an allowed request may do
    std::string user; // who is asking (proxy, account or personal token); "" when anonymous
    // Identity headers that came from an address that is no trusted proxy: ignored, and
    // the server logs it.
    bool identityIgnored = false;
};

// - Exactly one Host header, a well-formed host[:port]: otherwise 400.
// - Host must be one of the server's own names (defeats DNS rebinding, which always
//   arrives under the attacker's name): on loopback 127.0.0.1, localhost and [::1] with the
//   bound port; beyond loopback also the host names of the public URLs and IP literals.
//   Any other name is 421.
// - Writes (POST/PUT/PATCH/DELETE) must be same-origin JSON carrying X-KB-Request: a form
//   or a cross-site script cannot send that without a CORS preflight, which is refused.
// - Bound beyond loopback, writes and restricted reads need the configured token; with no
//   token configured such a server is read-only.
// - A person decides instead, with the rights kb.yaml gives their groups (serve: groups,
//   or the older restricted_groups and writer_groups): the user a trusted proxy
//   (ServeConfig::trustedProxies) names, the owner of a personal token, or whoever signed
//   in with a local account. Anyone else is anonymous, with what `anonymous` allows; on
//   loopback without proxies, accounts or `anonymous`, that is everything (one person's
//   machine). The shared token still unlocks everything.
// - Signing in and out (/api/login, /api/logout) is open to anyone, past the same checks.
Verdict judge(const ServeConfig &config, int boundPort, const RequestFacts &r);

// What a signed-in person in these groups may do on this server.
Rights rightsOf(const ServeConfig &config, const std::vector<std::string> &groups);

} // namespace kb::web
