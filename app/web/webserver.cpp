#include "web/webserver.h"

#include "core/displaytext.h"
#include "services/apitokens.h"
#include "services/gitsync.h"
#include "services/session.h"
#include "web/chinesemessages.h"
#include "web/configsignature.h"
#include "web/connectiondeadlines.h"
#include "web/httptarget.h"
#include "web/indexwatcher.h"
#include "web/requestguard.h"
#include "web/signins.h"
#include "web/usersapi.h"
#include "web/webapi.h"
#include "web/webassets.h"

#include <microhttpd.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace kb::web {
namespace {

// Paths the single-page app draws itself; anything else is a 404 page.
bool isAppPath(const std::string &path)
{
    static const char *const prefixes[] = {"/search",  "/record/", "/new",   "/edit/", "/view/",
                                           "/plugins", "/check",   "/login", "/users", "/account"};
    if (path == "/")
        return true;
    for (const char *p : prefixes)
        if (path.rfind(p, 0) == 0)
            return true;
    return false;
}

bool isAssetName(const std::string &name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
    });
}

constexpr const char *kSessionCookie = "kb_session";

// The value of cookie `name` in a Cookie header ("a=1; kb_session=...; b=2"), or "".
std::string cookieValue(const std::string &header, const std::string &name)
{
    for (std::size_t at = 0; at < header.size();) {
        std::size_t end = header.find(';', at);
        if (end == std::string::npos)
            end = header.size();
        std::string pair = header.substr(at, end - at);
        pair.erase(0, pair.find_first_not_of(' '));
        if (pair.size() > name.size() && pair.compare(0, name.size(), name) == 0 &&
            pair[name.size()] == '=')
            return pair.substr(name.size() + 1);
        at = end + 1;
    }
    return {};
}

// How far past max_body_bytes a body is still read (and dropped) so that its sender
// gets the 413 rather than a reset connection.
constexpr std::size_t kDiscardFactor = 16;

std::string lowerCase(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// What kb answers to one request, with the headers that depend on it.
struct Answer {
    ApiResponse response;
    std::string cacheControl = "no-store";
    std::string allow;       // for 405
    bool closeAfter = false; // refused before the body was read, or over the connection cap
    bool retryLater = false; // 503
    unsigned retryAfter = 0; // 429: seconds
    std::string setCookie;   // signing in and out
};

Answer answer(ApiResponse r)
{
    Answer a;
    a.response = std::move(r);
    return a;
}

Answer refusal(int status, const std::string &message)
{
    Answer a = answer(ApiResponse::error(status, message));
    a.closeAfter = true;
    return a;
}

// What one request gathers while the library reads it.
struct PendingRequest {
    std::string rawTarget;
    bool started = false;
    bool bodyTooLarge = false;
    std::string body;
    std::size_t received = 0;                                 // body bytes, kept or dropped
    std::vector<std::pair<std::string, std::string>> headers; // names in lower case
    std::size_t headerBytes = 0;
    std::size_t receivedHeaderBytes = 0; // request line and headers as they came in
    std::string peer;                    // the connection's address
    Verdict verdict;

    // Header names are tokens (RFC 9110 5.1) and values hold no control characters but tab.
    bool plainHeaders() const
    {
        static const std::string tchar = "!#$%&'*+-.^_`|~";
        for (const auto &[k, v] : headers) {
            if (k.empty() || !std::all_of(k.begin(), k.end(), [](unsigned char c) {
                    return std::isalnum(c) || tchar.find(char(c)) != std::string::npos;
                }))
                return false;
            if (std::any_of(v.begin(), v.end(),
                            [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }))
                return false;
        }
        return true;
    }

    // The request line and headers written the way browsers and HTTP libraries write
    // them ("Name: value" lines); the library parses more forms, and more bytes came in
    // when a value held a NUL byte (the library cuts it there), padding or folded lines.
    std::size_t plainFormBytes(const std::string &method, const std::string &version) const
    {
        std::size_t n = method.size() + 1 + rawTarget.size() + 1 + version.size() + 2 + 2;
        for (const auto &[k, v] : headers)
            n += k.size() + 2 + v.size() + 2;
        return n;
    }

    std::string header(const std::string &name) const
    {
        for (const auto &[k, v] : headers)
            if (k == name)
                return v;
        return {};
    }
};

MHD_Result collectHeader(void *cls, MHD_ValueKind, const char *key, std::size_t keySize,
                         const char *value, std::size_t valueSize)
{
    auto *req = static_cast<PendingRequest *>(cls);
    std::string name = lowerCase(std::string(key, keySize));
    req->headerBytes += keySize + valueSize;
    req->headers.emplace_back(std::move(name), std::string(value ? value : "", valueSize));
    return MHD_YES;
}

bool readFile(const std::string &path, std::string *out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream s;
    s << in.rdbuf();
    *out = s.str();
    return true;
}

int portOf(int fd)
{
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        return -1;
    return addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6 *>(&addr)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in *>(&addr)->sin_port);
}

// size:mtime of each file, to tell a module still being written from one that is done.
std::string stampsOf(const std::vector<std::string> &paths)
{
    std::string out;
    for (const std::string &p : paths) {
        struct stat st {};
        if (::stat(p.c_str(), &st) == 0)
            out += std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
                   std::to_string(st.st_mtim.tv_nsec);
        out += ";";
    }
    return out;
}

// A listening socket on host:port (port 0: any free one); the port it got.
int listenOn(const std::string &host, int port, int *boundPort, std::string *error)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo *found = nullptr;
    const std::string service = std::to_string(port);
    if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        *error = "cannot listen on " + host + ": " + gai_strerror(rc);
        return -1;
    }
    int fd = -1;
    for (addrinfo *a = found; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            continue;
        const int on = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 1024) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(found);
    if (fd < 0) {
        *error = "cannot listen on " + host + ":" + std::to_string(port) +
                 " (in use? try --port 0 for any free port)";
        return -1;
    }
    *boundPort = portOf(fd);
    return fd;
}

// The remote address of a connection as text, "" for loopback (127/8, ::1, and IPv4
// mapped into IPv6).
std::string remoteAddress(const sockaddr *addr)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (addr->sa_family == AF_INET) {
        const in_addr a = reinterpret_cast<const sockaddr_in *>(addr)->sin_addr;
        if ((ntohl(a.s_addr) >> 24) == 127)
            return {};
        inet_ntop(AF_INET, &a, text, sizeof text);
    } else if (addr->sa_family == AF_INET6) {
        const in6_addr &a = reinterpret_cast<const sockaddr_in6 *>(addr)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127))
            return {};
        inet_ntop(AF_INET6, &a, text, sizeof text);
    }
    return text;
}

// The address a connection comes from, as trusted_proxies lists it: "127.0.0.1", "::1",
// "10.0.0.2" (an IPv4 address mapped into IPv6 as IPv4).
std::string peerAddress(MHD_Connection *connection)
{
    const MHD_ConnectionInfo *peer =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!peer || !peer->client_addr)
        return {};
    char text[INET6_ADDRSTRLEN] = {};
    const sockaddr *addr = peer->client_addr;
    if (addr->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(addr)->sin_addr, text,
                  sizeof text);
    } else if (addr->sa_family == AF_INET6) {
        const in6_addr &a = reinterpret_cast<const sockaddr_in6 *>(addr)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&a))
            inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof text);
        else
            inet_ntop(AF_INET6, &a, text, sizeof text);
    }
    return text;
}

} // namespace

// Everything the server derives from the root's configuration: a session (plugins,
// vocabularies, records), the API over it and the watcher keeping its index current.
// Replaced as a whole when kb.yaml, a vocabulary or a plugin changes; requests hold the
// generation they started with until they finish.
struct Generation {
    std::unique_ptr<Session> session;
    std::vector<std::string> pluginFiles;
    std::string signature; // of the configuration it was built from
    WebApi api;
    IndexWatcher watcher;

    Generation(std::unique_ptr<Session> s, const std::function<void()> &onFilesChanged)
        : session(std::move(s)), pluginFiles(pluginFilesOf(*session)),
          signature(configSignature(session->root(), pluginFiles)), api(*session),
          watcher(session->root(), session->indexSchema(), [this, onFilesChanged] {
              api.recordsChanged();
              onFilesChanged();
          })
    {
    }

    bool configurationChanged() const
    {
        return configSignature(session->root(), pluginFiles) != signature;
    }

    static std::vector<std::string> pluginFilesOf(Session &s)
    {
        std::vector<std::string> files;
        for (const PluginInfo &p : s.plugins().plugins())
            files.push_back(p.path);
        return files;
    }
};

// The HTTP side is libmicrohttpd with epoll in a pool of threads: an idle or slow
// connection costs a socket and a few kilobytes, never a thread, so it cannot hold up
// anybody else's request (cpp-httplib gave each connection a thread while it waited).
struct WebServer::Impl {
    ServeConfig config;
    // The generation new requests get. A mutex, not std::atomic<std::shared_ptr>: GCC 12's
    // implementation is a lock ThreadSanitizer cannot see (google/sanitizers#1558), and
    // one uncontended lock per request costs nothing measurable.
    mutable std::mutex currentMutex;
    std::shared_ptr<Generation> current;
    int listenFd = -1;
    int port = 0;
    std::string tlsCert, tlsKey; // PEM, alive as long as the daemon
    MHD_Daemon *daemon = nullptr;
    std::unique_ptr<ConnectionDeadlines> deadlines;
    std::unique_ptr<SignIns> signIns; // local accounts' sessions
    std::unique_ptr<UsersApi> users;  // managing them (the users right)

    std::mutex stopMutex;
    std::condition_variable stopWake;
    bool stopRequested = false;
    // A plugin's module changed: its new code can only run in a new process, so the
    // server stops and cmd_serve re-executes it on the same listening socket.
    std::atomic<bool> restartRequested{false};
    int restartFd = -1;

    // Reloads run on a thread of their own: a file event, or every few seconds for
    // plugins (they live outside the watched root), compares the configuration.
    std::thread reloader;
    std::mutex reloadMutex;
    std::condition_variable reloadWake;
    bool reloadPending = false, quitting = false;

    // Pulls from the shared repository (--pull, POST /api/pull): one at a time, under the
    // generation's write lock, its outcome kept for /api/info and the page.
    std::thread syncer;
    mutable std::mutex syncMutex;      // one sync at a time
    mutable std::mutex syncStateMutex; // lastSync, syncQuit
    std::condition_variable syncWake;
    bool syncQuit = false;
    mutable QJsonObject lastSync;

    SyncOutcome syncNow() const
    {
        std::lock_guard one(syncMutex);
        const std::shared_ptr<Generation> g = live();
        SyncOutcome outcome;
        g->api.whileNoWrites([&] { outcome = syncWithRemote(g->session->root().dir); });
        if (outcome.changedFiles()) {
            std::string error;
            if (!g->watcher.syncNow(&error, true)) // the index follows the files at once
                std::fprintf(stderr, "kb serve: %s\n", error.c_str());
            g->api.recordsChanged();
        }
        QJsonArray conflicts;
        for (const std::string &f : outcome.conflicts)
            conflicts.append(QString::fromStdString(f));
        const QJsonObject state{{"state", syncStateName(outcome.state)},
                                {"message", QString::fromStdString(outcome.message)},
                                {"conflicts", conflicts},
                                {"at", QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
        bool report = outcome.state != SyncOutcome::State::UpToDate;
        {
            std::lock_guard lock(syncStateMutex);
            report = report || lastSync.value("state") != state.value("state");
            lastSync = state;
        }
        if (report)
            std::fprintf(stderr, "kb serve: pull: %s\n", outcome.message.c_str());
        return outcome;
    }

    QJsonObject syncState() const
    {
        std::lock_guard lock(syncStateMutex);
        return lastSync;
    }

    void syncLoop()
    {
        // kb serve pulled once before it started, to refuse a root that cannot pull; this
        // pull, at once, puts where things stand (a conflict, say) where every page sees it.
        syncNow();
        for (;;) {
            {
                std::unique_lock lock(syncStateMutex);
                if (syncWake.wait_for(lock, std::chrono::seconds(config.pullSeconds),
                                      [this] { return syncQuit; }))
                    return;
            }
            syncNow();
        }
    }

    void stopSyncer()
    {
        {
            std::lock_guard lock(syncStateMutex);
            syncQuit = true;
        }
        syncWake.notify_all();
        if (syncer.joinable())
            syncer.join();
    }

    // POST /api/pull: a git server's hook, or a person who may edit, syncs now.
    Answer pullNow(const Access &access) const
    {
        if (!access.rights.edit)
            return answer(ApiResponse::error(403, "pulling needs the right to edit (or a token)"));
        const SyncOutcome outcome = syncNow();
        const int status = outcome.state == SyncOutcome::State::Conflict ? 409
                           : outcome.state == SyncOutcome::State::Failed ? 502
                                                                         : 200;
        QJsonObject body = syncState();
        body["status"] = status;
        return answer(ApiResponse::json(body, status));
    }

    Impl(Session &origin, ServeConfig c) : config(std::move(c))
    {
        current = makeGeneration(origin.freshCopy());
        signIns = std::make_unique<SignIns>(origin.root().dir, config.sessionTimeoutSeconds);
        users = std::make_unique<UsersApi>(origin.root().dir, *signIns, config);
    }

    ~Impl()
    {
        if (daemon)
            MHD_stop_daemon(daemon);
        if (listenFd >= 0)
            ::close(listenFd);
    }

    // nullptr when the root cannot be opened (gone since the server started).
    std::shared_ptr<Generation> makeGeneration(std::unique_ptr<Session> s)
    {
        std::string error;
        if (!s->openRoot(&error))
            return nullptr;
        s->watcherOwnsRebuilds = true;
        // The Chinese the loaded plugins give for their own messages.
        std::vector<std::pair<std::string, std::string>> messages;
        for (const PluginInfo &p : s->plugins().plugins())
            if (p.state == PluginState::Loaded)
                messages.insert(messages.end(), p.schema.messagesZh.begin(),
                                p.schema.messagesZh.end());
        setPluginMessages(messages);
        return std::make_shared<Generation>(std::move(s), [this] {
            {
                std::lock_guard lock(reloadMutex);
                reloadPending = true;
            }
            reloadWake.notify_one();
        });
    }

    std::shared_ptr<Generation> live() const
    {
        std::lock_guard lock(currentMutex);
        return current;
    }

    void reloadLoop()
    {
        std::unique_lock lock(reloadMutex);
        while (!quitting) {
            reloadWake.wait_for(lock, std::chrono::seconds(3),
                                [this] { return reloadPending || quitting; });
            if (quitting)
                return;
            reloadPending = false;
            lock.unlock();
            reloadIfConfigurationChanged();
            lock.lock();
        }
    }

    void reloadIfConfigurationChanged()
    {
        const std::shared_ptr<Generation> old = live();
        if (!old->configurationChanged())
            return;
        std::shared_ptr<Generation> next = makeGeneration(old->session->freshCopy());
        if (!next)
            return; // keep serving what there is
        std::string error;
        // One watcher at a time: the old one would take the new index for stale and
        // rebuild it with the old mapping.
        old->watcher.stop();
        if (!next->watcher.syncNow(&error, true))
            std::fprintf(stderr, "kb serve: %s\n", error.c_str());
        {
            std::lock_guard lock(currentMutex);
            current = next;
        }
        next->watcher.start();
        std::fprintf(stderr, "kb serve: kb.yaml, a vocabulary or a plugin changed; reloaded\n");
        std::vector<std::string> changedModules;
        for (const PluginInfo &p : next->session->plugins().plugins()) {
            if (p.changedOnDisk)
                changedModules.push_back(p.path);
            else if (p.state == PluginState::Failed)
                std::fprintf(stderr, "kb serve: plugin '%s' failed: %s\n", p.id.c_str(),
                             p.error.c_str());
        }
        if (!changedModules.empty())
            restartWhenWritten(changedModules);
        // The listening socket, TLS and limits are set up once: say so rather than seem
        // to take a changed or broken serve: section.
        ServeConfig read;
        if (!readServeSettings(next->session->root().dir, &read, &error))
            std::fprintf(stderr, "kb serve: %s (the running server keeps its settings)\n",
                         error.c_str());
        else if (!(read.limits == config.limits))
            std::fprintf(stderr, "kb serve: the serve: settings in kb.yaml changed; they take "
                                 "effect when kb serve is restarted\n");
    }

    // Code cannot be swapped inside a process: a rebuilt plugin runs after a re-exec. A
    // module still being written (its size or time moving) waits for the next look.
    void restartWhenWritten(const std::vector<std::string> &modules)
    {
        const std::string before = stampsOf(modules);
        std::this_thread::sleep_for(std::chrono::seconds(1));
        if (stampsOf(modules) != before)
            return; // still changing; the next look (a few seconds) tries again
        for (const std::string &m : modules)
            std::fprintf(stderr, "kb serve: plugin module %s changed; restarting to run it\n",
                         m.c_str());
        {
            std::lock_guard lock(stopMutex);
            if (stopRequested)
                return; // stopping anyway: a stop is not turned into a restart
            restartRequested = true;
            stopRequested = true;
        }
        stopWake.notify_all();
    }

    void stopReloader()
    {
        {
            std::lock_guard lock(reloadMutex);
            quitting = true;
        }
        reloadWake.notify_one();
        if (reloader.joinable())
            reloader.join();
    }

    // The checks made as soon as the headers are in, before any body is read: a refusal
    // here answers at once and closes the connection.
    std::optional<Answer> screen(MHD_Connection *connection, const char *method,
                                 const char *version, PendingRequest &req) const
    {
        const ServeLimits &l = config.limits;
        if (deadlines->open() > l.maxConnections) {
            Answer a = refusal(503, "the server is at its connection limit (max_connections " +
                                        std::to_string(l.maxConnections) + "); try again shortly");
            a.retryLater = true;
            return a;
        }
        if (req.headers.size() > l.maxHeaders)
            return refusal(431, "more than " + std::to_string(l.maxHeaders) +
                                    " request headers (max_headers)");
        if (req.headerBytes > l.maxHeaderBytes)
            return refusal(431, "request headers over " + std::to_string(l.maxHeaderBytes) +
                                    " bytes (max_header_bytes)");
        if (req.rawTarget.size() > l.maxUriBytes)
            return refusal(414, "request URI over " + std::to_string(l.maxUriBytes) +
                                    " bytes (max_uri_bytes)");
        if (deadlines->overShare(connection)) {
            Answer a = refusal(503, "too many connections from your address "
                                    "(max_connections_per_address " +
                                        std::to_string(l.maxConnectionsPerAddress) + ")");
            a.retryLater = true;
            return a;
        }
        // Where parsers disagree on a request (a NUL byte, padded or folded headers, a
        // space before a colon, a bare CR), a proxy in front and kb could read two
        // different requests: refuse it.
        if (!req.plainHeaders() || req.receivedHeaderBytes > req.plainFormBytes(method, version))
            return refusal(400, "the request headers are not plain \"Name: value\" lines "
                                "(a NUL or control byte, a space before a colon, padding or a "
                                "folded line)");
        RequestFacts facts{method,
                           req.rawTarget,
                           req.header("origin"),
                           req.header("sec-fetch-site"),
                           req.header("content-type"),
                           req.header("authorization"),
                           {},
                           req.header("x-kb-request"),
                           peerAddress(connection),
                           req.header(config.userHeader),
                           req.header(config.groupsHeader),
                           {},
                           {},
                           {},
                           {},
                           false};
        for (const auto &[k, v] : req.headers)
            if (k == "host")
                facts.hosts.push_back(v);
        // A calendar or feed reader sends no cookie and no header of ours: a feed's address
        // may carry a personal token (only those: one is revoked alone, kb token revoke).
        if (facts.authorization.empty() && req.rawTarget.rfind("/feeds/", 0) == 0) {
            HttpTarget target;
            if (parseHttpTarget(req.rawTarget, &target))
                if (const auto token = target.query.find("token");
                    token != target.query.end() && token->second.rfind("kbt_", 0) == 0)
                    facts.authorization = "Bearer " + token->second;
        }
        // A bearer token that is not the shared one may be a person's (kb token add).
        if (facts.authorization.rfind("Bearer ", 0) == 0 &&
            !(config.token.size() && sameSecret(facts.authorization.substr(7), config.token)))
            if (const auto person =
                    ApiTokens(live()->session->root().dir).find(facts.authorization.substr(7))) {
                facts.tokenUser = person->name;
                facts.tokenGroups = person->groups;
            }
        facts.accountsExist = signIns->accountsExist();
        if (const std::string id = cookieValue(req.header("cookie"), kSessionCookie); !id.empty())
            if (const auto person = signIns->find(id)) {
                facts.sessionUser = person->name;
                facts.sessionGroups = person->groups;
            }
        req.peer = facts.peer;
        req.verdict = judge(config, port, facts);
        if (req.verdict.identityIgnored)
            std::fprintf(stderr,
                         "kb serve: ignored %s from %s: not a trusted proxy (trusted_proxies in "
                         "kb.yaml)\n",
                         config.userHeader.c_str(), facts.peer.c_str());
        if (req.verdict.status != 0)
            return refusal(req.verdict.status, req.verdict.message);
        // The absolute form names a host of its own (RFC 9112 3.2.2): it must be this one.
        for (const std::string scheme : {"http://", "https://"})
            if (lowerCase(req.rawTarget.substr(0, scheme.size())) == scheme) {
                const std::string authority = req.rawTarget.substr(
                    scheme.size(), req.rawTarget.find('/', scheme.size()) - scheme.size());
                if (lowerCase(authority) != lowerCase(facts.hosts[0]))
                    return refusal(400, "the request target names another host than Host");
            }
        const std::string length = req.header("content-length");
        // Two framings, or one given twice, is how a request is smuggled past a proxy that
        // reads the other one (RFC 9112 6.1, 6.3): never guess.
        if (!length.empty() && !req.header("transfer-encoding").empty())
            return refusal(400, "the request has both Content-Length and Transfer-Encoding");
        if (const std::string te = lowerCase(req.header("transfer-encoding"));
            !te.empty() && te != "chunked")
            return refusal(501, "only the chunked transfer coding is supported, not '" + te + "'");
        for (const char *framing : {"content-length", "transfer-encoding"})
            if (std::count_if(req.headers.begin(), req.headers.end(),
                              [&](const auto &h) { return h.first == framing; }) > 1)
                return refusal(400,
                               std::string("the request has more than one ") + framing + " header");
        if (!length.empty()) {
            const bool digits = std::all_of(length.begin(), length.end(),
                                            [](unsigned char c) { return std::isdigit(c); });
            const unsigned long long declared =
                digits && length.size() <= 12 ? std::stoull(length) : ~0ull;
            // A client waiting for "100 Continue", or one announcing an absurd size, is
            // answered at once. Any other sends its body anyway and would miss an answer
            // sent before it finished (the close resets the connection under it), so a
            // body of up to kDiscardFactor times the cap is read, dropped, then refused.
            if (declared > l.maxBodyBytes) {
                if (declared > kDiscardFactor * l.maxBodyBytes ||
                    lowerCase(req.header("expect")) == "100-continue")
                    return tooLarge();
                req.bodyTooLarge = true;
            }
        }
        return std::nullopt;
    }

    Answer tooLarge() const
    {
        return refusal(413, "request body over " + std::to_string(config.limits.maxBodyBytes) +
                                " bytes (max_body_bytes)");
    }

    Answer handle(std::string method, const PendingRequest &req) const
    {
        if (method == "HEAD")
            method = "GET"; // the library leaves the body out
        HttpTarget t;
        if (!parseHttpTarget(req.rawTarget, &t))
            return answer(
                ApiResponse::error(400, req.rawTarget.empty() || req.rawTarget[0] != '/'
                                            ? "the request target must be a path starting with '/'"
                                            : "the request URI has a malformed % escape"));
        const std::shared_ptr<Generation> g = live();
        const Access access{req.verdict.rights, req.verdict.user, signIns->accountsExist()};
        const QByteArray body = QByteArray::fromStdString(req.body);
        const std::vector<std::string> &s = t.segments;
        const auto only = [&](const char *allowed, const std::function<ApiResponse()> &run) {
            if (method != allowed) {
                Answer a = answer(ApiResponse::error(405, method + " is not allowed here"));
                a.allow = std::string(allowed) == "GET" ? "GET, HEAD" : allowed;
                return a;
            }
            return answer(run());
        };
        if (!s.empty() && s[0] == "api") {
            WebApi &api = g->api;
            const std::string what = s.size() > 1 ? s[1] : "";
            if (s.size() == 2 && (what == "login" || what == "logout")) {
                if (method != "POST")
                    return only("POST", {});
                return what == "login" ? signIn(req) : signOut(req);
            }
            if (s.size() == 2 && what == "users") {
                if (method == "POST")
                    return answer(users->create(body, access));
                Answer a = only("GET", [&] { return users->list(access); });
                if (a.response.status == 405)
                    a.allow = "GET, HEAD, POST";
                return a;
            }
            if (s.size() == 3 && what == "users" && !s[2].empty()) {
                if (method == "PUT")
                    return answer(users->update(s[2], body, access));
                Answer a = only("DELETE", [&] { return users->remove(s[2], access); });
                if (a.response.status == 405)
                    a.allow = "PUT, DELETE";
                return a;
            }
            if (s.size() == 2 && what == "password") {
                if (method != "POST")
                    return only("POST", {});
                std::string session;
                Answer a =
                    answer(users->changeOwnPassword(body, access, clientAddress(req), &session));
                if (!session.empty())
                    a.setCookie = sessionCookie(session, signIns->timeoutSeconds());
                return a;
            }
            if (s.size() == 2 && what == "info")
                return only("GET", [&] { return api.info(access, syncState()); });
            if (s.size() == 2 && what == "pull") {
                if (method != "POST")
                    return only("POST", {});
                return pullNow(access);
            }
            if (s.size() == 2 && what == "schema")
                return only("GET", [&] { return api.schema(); });
            if (s.size() == 2 && what == "search")
                return only("GET", [&] { return api.search(t.query, access); });
            if (s.size() == 2 && what == "similar")
                return only("GET", [&] { return api.similar(t.query, access); });
            if (s.size() == 2 && what == "plugins")
                return only("GET", [&] { return api.plugins(access); });
            if (s.size() == 2 && what == "check")
                return only("GET", [&] { return api.check(access); });
            if (s.size() == 2 && what == "records") {
                if (method == "POST")
                    return answer(api.createRecord(body, access));
                Answer a = only("GET", [&] { return api.listRecords(t.query, access); });
                if (a.response.status == 405)
                    a.allow = "GET, HEAD, POST";
                return a;
            }
            if (s.size() == 3 && what == "records" && !s[2].empty()) {
                if (method == "PUT")
                    return answer(api.updateRecord(s[2], body, access));
                Answer a = only("GET", [&] { return api.record(s[2], access); });
                if (a.response.status == 405)
                    a.allow = "GET, HEAD, PUT";
                return a;
            }
            if (s.size() == 4 && what == "records" && s[3] == "history")
                return only("GET", [&] { return api.history(s[2], access); });
            if (s.size() == 4 && what == "records" && s[3] == "restore")
                return only("POST", [&] { return api.restore(s[2], body, access); });
            if (s.size() == 4 && what == "views")
                return only("GET", [&] { return api.view(s[2], s[3], t.query, access); });
            if (s.size() == 5 && what == "views" && s[4] == "move")
                return only("POST", [&] { return api.moveCard(s[2], s[3], body, access); });
            return answer(ApiResponse::error(404, "no such endpoint: " + t.path));
        }
        if (!s.empty() && s[0] == "feeds") {
            WebApi &api = g->api;
            const auto feed = [&](const std::function<ApiResponse()> &make) {
                Answer a = only("GET", make);
                a.cacheControl = "private, no-cache";
                return a;
            };
            if (s.size() == 2 && s[1] == "records.atom")
                return feed([&] { return api.atom(t.query, access, baseUrl(req)); });
            if (s.size() == 4 && s[1] == "views" && s[3].size() > 4 &&
                s[3].substr(s[3].size() - 4) == ".ics")
                return feed([&] {
                    return api.calendar(s[2], s[3].substr(0, s[3].size() - 4), t.query, access,
                                        baseUrl(req));
                });
            return answer(ApiResponse::error(404, "no such feed: " + t.path +
                                                      " (/feeds/records.atom, "
                                                      "/feeds/views/PLUGIN/BOARD.ics)"));
        }
        if (!s.empty() && s[0] == "assets") {
            const WebAsset *asset = s.size() == 2 && isAssetName(s[1]) ? findAsset(s[1]) : nullptr;
            if (!asset)
                return answer(ApiResponse::error(404, "no such asset"));
            Answer a = only("GET", [&] {
                ApiResponse r;
                r.body = QByteArray(asset->bytes.data(), qsizetype(asset->bytes.size()));
                r.contentType = asset->mimeType;
                return r;
            });
            a.cacheControl = "no-cache";
            return a;
        }
        const WebAsset *page = findAsset("index.html");
        if (!page)
            return answer(ApiResponse::error(404, "no such page: " + t.path));
        Answer a = only("GET", [&] {
            ApiResponse r;
            r.status = isAppPath(t.path) ? 200 : 404;
            r.body = QByteArray(page->bytes.data(), qsizetype(page->bytes.size()));
            r.contentType = page->mimeType;
            return r;
        });
        a.cacheControl = "no-cache";
        return a;
    }

    // POST /api/login {"name", "password"}: a session cookie for a local account.
    Answer signIn(const PendingRequest &req) const
    {
        QJsonObject in;
        std::string error;
        if (!parseObject(QByteArray::fromStdString(req.body), &in, &error))
            return answer(ApiResponse::error(400, error));
        const std::string name = in.value("name").toString().toStdString();
        const std::string password = in.value("password").toString().toStdString();
        if (name.empty() || password.empty())
            return answer(ApiResponse::error(400, "name and password are required"));
        const std::string from = clientAddress(req);
        const SignIns::Attempt attempt = signIns->signIn(name, password, from);
        if (attempt.status != 200) {
            Answer a = answer(ApiResponse::error(attempt.status, attempt.message));
            a.retryAfter = attempt.retryAfter;
            if (attempt.status == 401)
                std::fprintf(stderr, "kb serve: failed sign-in as '%s' from %s\n",
                             displayLine(name.substr(0, 100)).c_str(), displayLine(from).c_str());
            return a;
        }
        std::fprintf(stderr, "kb serve: '%s' signed in from %s\n", displayLine(name).c_str(),
                     displayLine(from).c_str());
        Answer a = answer(ApiResponse::json(QJsonObject{{"user", QString::fromStdString(name)}}));
        a.setCookie = sessionCookie(attempt.sessionId, signIns->timeoutSeconds());
        return a;
    }

    // The address people reach this server by, for links in feeds: the public URL when
    // kb.yaml gives one, else the Host the request came to (already checked as ours).
    std::string baseUrl(const PendingRequest &req) const
    {
        if (!config.publicUrls.empty()) {
            std::string u = config.publicUrls.front();
            while (!u.empty() && u.back() == '/')
                u.pop_back();
            return u;
        }
        return (config.tls() ? "https://" : "http://") + req.header("host");
    }

    // Who is signing in, for the failure limits: behind a trusted proxy (a TLS front on
    // loopback, say) every person arrives from the proxy's address, so the address the
    // proxy appended to X-Forwarded-For is theirs; from anywhere else the header is
    // anyone's to forge and the connection's address counts.
    std::string clientAddress(const PendingRequest &req) const
    {
        const bool fromProxy = std::find(config.trustedProxies.begin(), config.trustedProxies.end(),
                                         req.peer) != config.trustedProxies.end();
        const std::string forwarded = req.header("x-forwarded-for");
        if (!fromProxy || forwarded.empty())
            return req.peer;
        std::string last = forwarded.substr(forwarded.rfind(',') + 1);
        last.erase(0, last.find_first_not_of(' '));
        last.erase(last.find_last_not_of(' ') + 1);
        return last.empty() || last.size() > 64 ? req.peer : last;
    }

    // POST /api/logout: ends this browser's session, whatever it was.
    Answer signOut(const PendingRequest &req) const
    {
        if (const std::string id = cookieValue(req.header("cookie"), kSessionCookie); !id.empty())
            signIns->signOut(id);
        Answer a = answer(ApiResponse::json(QJsonObject{{"signed_out", true}}));
        a.setCookie = sessionCookie("", 0);
        return a;
    }

    // HttpOnly: no script reads it. SameSite=Strict: no other site's page sends it.
    // Secure whenever people reach the server over TLS, its own or a proxy's.
    std::string sessionCookie(const std::string &value, unsigned maxAge) const
    {
        const bool https =
            config.tls() || std::any_of(config.publicUrls.begin(), config.publicUrls.end(),
                                        [](const std::string &u) {
                                            return lowerCase(u.substr(0, 8)) == "https://";
                                        });
        return std::string(kSessionCookie) + "=" + value +
               "; Path=/; Max-Age=" + std::to_string(maxAge) + "; HttpOnly; SameSite=Strict" +
               (https ? "; Secure" : "");
    }

    static MHD_Result queue(MHD_Connection *connection, const Answer &a)
    {
        const QByteArray &body = a.response.body;
        MHD_Response *r = MHD_create_response_from_buffer(
            std::size_t(body.size()), const_cast<char *>(body.constData()), MHD_RESPMEM_MUST_COPY);
        if (!r)
            return MHD_NO;
        const std::pair<const char *, std::string> headers[] = {
            {"Content-Type", a.response.contentType},
            {"Cache-Control", a.cacheControl},
            {"X-Content-Type-Options", "nosniff"},
            {"X-Frame-Options", "DENY"},
            {"Referrer-Policy", "no-referrer"},
            {"Content-Security-Policy",
             "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"},
            {"Allow", a.allow},
            {"Retry-After", a.retryAfter   ? std::to_string(a.retryAfter)
                            : a.retryLater ? "1"
                                           : ""},
            {"Set-Cookie", a.setCookie},
            {"Connection", a.closeAfter ? "close" : ""},
        };
        for (const auto &[name, value] : headers)
            if (!value.empty())
                MHD_add_response_header(r, name, value.c_str());
        const MHD_Result ok = MHD_queue_response(connection, unsigned(a.response.status), r);
        MHD_destroy_response(r);
        return ok;
    }

    // libmicrohttpd's callbacks. `cls` is this Impl.
    static void *onUri(void *, const char *uri, MHD_Connection *)
    {
        auto *req = new PendingRequest;
        req->rawTarget = uri ? uri : "";
        return req;
    }

    static void onConnection(void *cls, MHD_Connection *connection, void **,
                             MHD_ConnectionNotificationCode code)
    {
        auto *self = static_cast<Impl *>(cls);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            const MHD_ConnectionInfo *info =
                MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
            const MHD_ConnectionInfo *peer =
                MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
            self->deadlines->opened(connection, info ? info->connect_fd : -1,
                                    peer ? remoteAddress(peer->client_addr) : std::string());
        } else {
            self->deadlines->closed(connection);
        }
    }

    static void onCompleted(void *cls, MHD_Connection *connection, void **reqCls,
                            MHD_RequestTerminationCode)
    {
        delete static_cast<PendingRequest *>(*reqCls);
        *reqCls = nullptr;
        static_cast<Impl *>(cls)->deadlines->answered(connection);
    }

    static MHD_Result onRequest(void *cls, MHD_Connection *connection, const char *,
                                const char *method, const char *version, const char *uploadData,
                                std::size_t *uploadSize, void **reqCls)
    {
        auto *self = static_cast<Impl *>(cls);
        auto *req = static_cast<PendingRequest *>(*reqCls);
        if (!req)
            *reqCls = req = new PendingRequest;
        if (!req->started) {
            req->started = true;
            self->deadlines->headersDone(connection);
            MHD_get_connection_values_n(connection, MHD_HEADER_KIND, &collectHeader, req);
            if (const MHD_ConnectionInfo *info =
                    MHD_get_connection_info(connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE))
                req->receivedHeaderBytes = info->header_size;
            if (std::optional<Answer> refused = self->screen(connection, method, version, *req))
                return queue(connection, *refused);
            return MHD_YES;
        }
        if (*uploadSize != 0) {
            // Chunked bodies have no length to refuse up front: what passes the cap is
            // dropped as it arrives, and the answer is 413 (the library can answer only
            // once the body has ended; body_timeout bounds how long that may take).
            const std::size_t cap = self->config.limits.maxBodyBytes;
            req->received += *uploadSize;
            if (!req->bodyTooLarge && req->received > cap) {
                req->bodyTooLarge = true;
                std::string().swap(req->body);
            }
            if (!req->bodyTooLarge)
                req->body.append(uploadData, *uploadSize);
            *uploadSize = 0;
            // Past kDiscardFactor times the cap, stop listening: close without an answer.
            return req->received > kDiscardFactor * cap ? MHD_NO : MHD_YES;
        }
        self->deadlines->handling(connection);
        if (req->bodyTooLarge)
            return queue(connection, self->tooLarge());
        Answer a;
        try {
            a = self->handle(method, *req);
        } catch (const std::exception &e) {
            a = answer(ApiResponse::error(500, std::string("internal error: ") + e.what()));
        } catch (...) {
            a = answer(ApiResponse::error(500, "internal error"));
        }
        return queue(connection, a);
    }
};

WebServer::WebServer(Session &session, ServeConfig config)
    : d_(std::make_unique<Impl>(session, std::move(config)))
{
}

WebServer::~WebServer()
{
    stop();
}

bool WebServer::bind(std::string *error)
{
    if (!d_->live()) {
        *error = "the root cannot be opened";
        return false;
    }
    const ServeConfig &c = d_->config;
    if (c.tls()) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
            *error = "this libmicrohttpd was built without TLS";
            return false;
        }
        if (!readFile(c.tlsCertFile, &d_->tlsCert) || d_->tlsCert.empty()) {
            *error = "--tls-cert: cannot read " + c.tlsCertFile;
            return false;
        }
        if (!readFile(c.tlsKeyFile, &d_->tlsKey) || d_->tlsKey.empty()) {
            *error = "--tls-key: cannot read " + c.tlsKeyFile;
            return false;
        }
    }
    if (!d_->live()->watcher.syncNow(error))
        return false;
    if (c.inheritedListenFd >= 0) { // restarted by ourselves: the socket stays open
        d_->listenFd = c.inheritedListenFd;
        ::fcntl(d_->listenFd, F_SETFD, FD_CLOEXEC);
        d_->port = portOf(d_->listenFd);
        if (d_->port < 0) {
            *error = "--listen-fd " + std::to_string(c.inheritedListenFd) + " is not a socket";
            return false;
        }
    } else {
        d_->listenFd = listenOn(c.host, c.port, &d_->port, error);
    }
    if (d_->listenFd < 0)
        return false;
    // Watching starts before the address is announced: a file written by someone who
    // saw it must not fall between the first sync and the first watch.
    d_->live()->watcher.start();
    return true;
}

int WebServer::port() const
{
    return d_->port;
}

bool WebServer::run(std::string *error)
{
    const ServeLimits &l = d_->config.limits;
    d_->deadlines = std::make_unique<ConnectionDeadlines>(
        std::chrono::seconds(l.headerTimeoutSeconds), std::chrono::seconds(l.bodyTimeoutSeconds),
        l.maxConnectionsPerAddress);
    // Room for the request line and headers the limits allow, so kb, not the library,
    // answers a request over them (with a JSON error naming the limit).
    const std::size_t memory = std::max<std::size_t>(
        64 * 1024, 2 * (l.maxUriBytes + l.maxHeaderBytes + 64 * l.maxHeaders) + 16 * 1024);
    std::vector<MHD_OptionItem> options = {
        {MHD_OPTION_LISTEN_SOCKET, d_->listenFd, nullptr},
        {MHD_OPTION_THREAD_POOL_SIZE, intptr_t(l.threads), nullptr},
        // Beyond max_connections, a few more are let in to be told 503.
        {MHD_OPTION_CONNECTION_LIMIT, intptr_t(l.maxConnections + 64), nullptr},
        {MHD_OPTION_CONNECTION_TIMEOUT, intptr_t(std::max(l.headerTimeoutSeconds, 1u)), nullptr},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, intptr_t(memory), nullptr},
        {MHD_OPTION_STRICT_FOR_CLIENT, 1, nullptr},
        {MHD_OPTION_URI_LOG_CALLBACK, intptr_t(&Impl::onUri), d_.get()},
        {MHD_OPTION_NOTIFY_CONNECTION, intptr_t(&Impl::onConnection), d_.get()},
        {MHD_OPTION_NOTIFY_COMPLETED, intptr_t(&Impl::onCompleted), d_.get()},
    };
    // MHD_USE_ITC: MHD_quiesce_daemon needs it with a thread pool (a restart keeps the socket).
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    if (d_->config.tls()) {
        flags |= MHD_USE_TLS;
        options.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, d_->tlsKey.data()});
        options.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, d_->tlsCert.data()});
    }
    options.push_back({MHD_OPTION_END, 0, nullptr});
    d_->daemon = MHD_start_daemon(flags, 0, nullptr, nullptr, &Impl::onRequest, d_.get(),
                                  MHD_OPTION_ARRAY, options.data(), MHD_OPTION_END);
    if (!d_->daemon) {
        *error = d_->config.tls() ? "cannot start the server: is the TLS key or certificate "
                                    "not PEM, or do they not match?"
                                  : "cannot start the server";
        return false;
    }
    d_->listenFd = -1; // the daemon closes it when it stops
    d_->reloader = std::thread([this] { d_->reloadLoop(); });
    if (d_->config.pullSeconds > 0)
        d_->syncer = std::thread([this] { d_->syncLoop(); });
    for (;;) {
        {
            std::unique_lock lock(d_->stopMutex);
            d_->stopWake.wait(lock, [this] { return d_->stopRequested; });
        }
        if (!d_->restartRequested)
            break;
        // Stop accepting, let the requests in flight finish (a few seconds at most), and
        // keep the listening socket for the next process: clients never see it closed.
        d_->restartFd = MHD_quiesce_daemon(d_->daemon);
        if (d_->restartFd >= 0)
            break;
        std::fprintf(stderr, "kb serve: cannot keep the listening socket for a restart; the "
                             "server keeps running the plugin code it loaded\n");
        std::lock_guard lock(d_->stopMutex);
        d_->restartRequested = false;
        d_->stopRequested = false;
    }
    if (d_->restartRequested) {
        for (int i = 0; i < 60; ++i) {
            const MHD_DaemonInfo *info =
                MHD_get_daemon_info(d_->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
            if (!info || info->num_connections == 0)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    {
        // A Ctrl-C or SIGTERM during the drain means stop after all.
        std::lock_guard lock(d_->stopMutex);
        if (d_->restartFd >= 0 && !d_->restartRequested) {
            ::close(d_->restartFd);
            d_->restartFd = -1;
        }
    }
    MHD_stop_daemon(d_->daemon);
    d_->daemon = nullptr;
    d_->stopReloader();
    d_->stopSyncer();
    d_->live()->watcher.stop();
    return true;
}

int WebServer::restartSocket() const
{
    return d_->restartFd;
}

void WebServer::stop()
{
    {
        std::lock_guard lock(d_->stopMutex);
        d_->stopRequested = true;
        d_->restartRequested = false; // Ctrl-C or SIGTERM means stop, even mid-restart
    }
    d_->stopWake.notify_all();
}

} // namespace kb::web
