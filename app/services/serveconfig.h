#pragma once

#include "services/rights.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace kb {

// What one connection and one request may take. Defaults suit a team's server; each is a
// key of the `serve:` section of kb.yaml (README, "kb serve limits").
struct ServeLimits {
    std::size_t maxBodyBytes = 1 << 20;      // max_body_bytes: a record form is a few KB
    std::size_t maxUriBytes = 8192;          // max_uri_bytes
    std::size_t maxHeaderBytes = 16384;      // max_header_bytes: all header names and values
    std::size_t maxHeaders = 64;             // max_headers
    unsigned headerTimeoutSeconds = 10;      // header_timeout: connect (or last answer) to headers
    unsigned bodyTimeoutSeconds = 30;        // body_timeout: headers to the body's last byte
    unsigned maxConnections = 1000;          // max_connections: beyond it, 503 at once
    unsigned maxConnectionsPerAddress = 100; // max_connections_per_address: 0 is no limit
    unsigned threads = 8;                    // threads: requests handled at once

    bool operator==(const ServeLimits &) const = default;
};

// How the server was started: where it listens, the names it answers to, the token and
// the TLS certificate, if any.
struct ServeConfig {
    std::string host = "127.0.0.1";
    int port = 8080; // 0: any free port
    std::string token;
    // Beyond loopback: the URLs people reach the server by (public_url in kb.yaml,
    // --public-url); their host names are the only names it answers to.
    std::vector<std::string> publicUrls;
    std::string tlsCertFile, tlsKeyFile; // both or neither
    // Behind a single-sign-on proxy: the addresses it connects from (trusted_proxies); a
    // request from one of them is by the user its user_header names, in the groups its
    // groups_header lists (comma-separated). The same headers from anywhere else are
    // ignored and logged. With proxies configured, a request from one without a user is
    // anonymous: it reads what is not restricted and writes nothing.
    std::vector<std::string> trustedProxies;
    std::string userHeader = "x-remote-user", groupsHeader = "x-remote-groups"; // lower case
    std::vector<std::string> restrictedGroups; // restricted_groups: cleared for restricted records
    std::vector<std::string> writerGroups;     // writer_groups: may write (empty: every user)
    // groups: what each group may do (Rights::grant names); "everyone" is every signed-in
    // person. When given it replaces restricted_groups and writer_groups.
    std::vector<std::pair<std::string, Rights>> groupRights;
    bool groupRightsGiven = false;
    // anonymous: what a visitor who is not signed in reads (none, read-public,
    // read-internal). Given, or with a proxy or accounts, loopback grants nothing more.
    ReadLevel anonymousRead = ReadLevel::Internal;
    bool anonymousGiven = false;
    unsigned sessionTimeoutSeconds = 12 * 3600; // session_timeout: a sign-in lasts this long
    ServeLimits limits;
    int inheritedListenFd = -1; // --listen-fd: a socket left open by the process before
    // --pull SECONDS: fetch and fast-forward (or push, or merge) the content repository
    // this often, so that servers in several offices share one knowledge base; 0: never
    // (POST /api/pull still syncs on demand, for a git server's hook).
    unsigned pullSeconds = 0;

    bool loopback() const;
    bool tls() const { return !tlsCertFile.empty(); }
    // The groups kb.yaml gives rights to (groups:, or restricted_groups and writer_groups),
    // without "everyone", which is every signed-in person and no group one is put in.
    std::vector<std::string> groupNames() const;
    // "" when every group in `groups` is one kb.yaml names (or it names none), else why not.
    std::string unknownGroupProblem(const std::vector<std::string> &groups) const;
};

// Reads the `serve:` section of ROOT/kb.yaml into `config` (absent keys keep their
// defaults). A bad value is an error naming the file, line and key.
bool readServeSettings(const std::string &rootDir, ServeConfig *config, std::string *error);

// The host[:port] a URL names ("https://kb.example.com/" -> "kb.example.com"), lower case;
// empty with a message when it is not an http(s) URL.
std::string urlAuthority(const std::string &url, std::string *error);

} // namespace kb
