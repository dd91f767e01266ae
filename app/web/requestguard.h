#pragma once

#include <string>

namespace kb::web {

// How the server was started: where it listens and the token, if one was configured.
struct ServeConfig {
    std::string host = "127.0.0.1";
    int port = 8080; // 0: any free port
    std::string token;
    bool loopback() const;
};

// The safety rules every request passes before a handler runs. Kept free of HTTP
// library types so each rule is a plain function of the request's headers.
struct RequestFacts {
    std::string method, path, host, origin, secFetchSite, contentType, authorization;
    std::string requestedWith; // X-KB-Request
};

struct Verdict {
    int status = 0; // 0: allowed
    std::string message;
    bool write = false, restricted = false; // what an allowed request may do
};

// - Host must name this server when bound to loopback (defeats DNS rebinding).
// - Writes (POST/PUT/PATCH/DELETE) must be same-origin JSON carrying X-KB-Request: a form
//   or a cross-site script cannot send that without a CORS preflight, which is refused.
// - Bound beyond loopback, writes and restricted reads need the configured token; with no
//   token configured such a server is read-only.
Verdict judge(const ServeConfig &config, int boundPort, const RequestFacts &r);

// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
bool sameSecret(const std::string &a, const std::string &b);

} // namespace kb::web
