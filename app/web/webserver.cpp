#include "webserver.h"

#include "configsignature.h"
#include "indexwatcher.h"
#include "session.h"
#include "webapi.h"
#include "webassets.h"

#include <httplib.h>

#include <QJsonObject>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>

namespace kb::web {
namespace {

constexpr std::size_t kMaxBodyBytes = 1 << 20; // a record form is a few KB

// Paths the single-page app draws itself; anything else is a 404 page.
bool isAppPath(const std::string &path)
{
    static const char *const prefixes[] = {"/search", "/record/", "/new",  "/edit/",
                                           "/view/",  "/plugins", "/check"};
    if (path == "/")
        return true;
    for (const char *p : prefixes)
        if (path.rfind(p, 0) == 0)
            return true;
    return false;
}

std::string statusText(int status)
{
    switch (status) {
    case 400:
        return "bad request";
    case 404:
        return "not found";
    case 405:
        return "method not allowed";
    case 413:
        return "request body too large (at most 1 MiB)";
    case 414:
        return "request URI too long";
    case 431:
        return "request headers too large";
    default:
        return "request refused (HTTP " + std::to_string(status) + ")";
    }
}

void send(httplib::Response &res, const ApiResponse &r)
{
    res.status = r.status;
    res.set_content(r.body.constData(), std::size_t(r.body.size()), r.contentType.c_str());
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

struct WebServer::Impl {
    ServeConfig config;
    std::atomic<std::shared_ptr<Generation>> current;
    httplib::Server http;
    int port = 0;

    // Reloads run on a thread of their own: a file event, or every few seconds for
    // plugins (they live outside the watched root), compares the configuration.
    std::thread reloader;
    std::mutex reloadMutex;
    std::condition_variable reloadWake;
    bool reloadPending = false, quitting = false;

    Impl(Session &origin, ServeConfig c) : config(std::move(c))
    {
        current.store(makeGeneration(origin.freshCopy()));
    }

    // nullptr when the root cannot be opened (gone since the server started).
    std::shared_ptr<Generation> makeGeneration(std::unique_ptr<Session> s)
    {
        std::string error;
        if (!s->openRoot(&error))
            return nullptr;
        return std::make_shared<Generation>(std::move(s), [this] {
            {
                std::lock_guard lock(reloadMutex);
                reloadPending = true;
            }
            reloadWake.notify_one();
        });
    }

    std::shared_ptr<Generation> live() const { return current.load(); }

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
        current.store(next);
        next->watcher.start();
        std::fprintf(stderr, "kb serve: kb.yaml, a vocabulary or a plugin changed; reloaded\n");
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

    RequestFacts facts(const httplib::Request &req) const
    {
        return {req.method,
                req.path,
                req.get_header_value("Host"),
                req.get_header_value("Origin"),
                req.get_header_value("Sec-Fetch-Site"),
                req.get_header_value("Content-Type"),
                req.get_header_value("Authorization"),
                req.get_header_value("X-KB-Request")};
    }

    Access access(const httplib::Request &req) const
    {
        const Verdict v = judge(config, port, facts(req));
        return {v.write, v.restricted};
    }

    static Params params(const httplib::Request &req)
    {
        return Params(req.params.begin(), req.params.end());
    }

    static QByteArray body(const httplib::Request &req)
    {
        return QByteArray::fromStdString(req.body);
    }

    void routes()
    {
        using Req = const httplib::Request &;
        using Res = httplib::Response &;
        http.Get("/api/info", [this](Req q, Res r) { send(r, live()->api.info(access(q))); });
        http.Get("/api/schema", [this](Req, Res r) { send(r, live()->api.schema()); });
        http.Get("/api/search",
                 [this](Req q, Res r) { send(r, live()->api.search(params(q), access(q))); });
        http.Get("/api/similar",
                 [this](Req q, Res r) { send(r, live()->api.similar(params(q), access(q))); });
        http.Get("/api/records",
                 [this](Req q, Res r) { send(r, live()->api.listRecords(params(q), access(q))); });
        http.Post("/api/records",
                  [this](Req q, Res r) { send(r, live()->api.createRecord(body(q), access(q))); });
        http.Get(R"(/api/records/([^/]+))",
                 [this](Req q, Res r) { send(r, live()->api.record(q.matches[1], access(q))); });
        http.Put(R"(/api/records/([^/]+))", [this](Req q, Res r) {
            send(r, live()->api.updateRecord(q.matches[1], body(q), access(q)));
        });
        http.Get(R"(/api/views/([^/]+)/([^/]+))", [this](Req q, Res r) {
            send(r, live()->api.view(q.matches[1], q.matches[2], params(q), access(q)));
        });
        http.Post(R"(/api/views/([^/]+)/([^/]+)/move)", [this](Req q, Res r) {
            send(r, live()->api.moveCard(q.matches[1], q.matches[2], body(q), access(q)));
        });
        http.Get("/api/plugins", [this](Req, Res r) { send(r, live()->api.plugins()); });
        http.Get("/api/check", [this](Req, Res r) { send(r, live()->api.check()); });
        http.Get(R"(/assets/([A-Za-z0-9._-]+))", [](Req q, Res r) {
            const WebAsset *a = findAsset(q.matches[1].str());
            if (!a) {
                send(r, ApiResponse::error(404, "no such asset"));
                return;
            }
            r.set_header("Cache-Control", "no-cache");
            r.set_content(a->bytes, a->mimeType);
        });
        http.Get(R"(/.*)", [](Req q, Res r) {
            const WebAsset *page = findAsset("index.html");
            if (q.path.rfind("/api/", 0) == 0 || q.path.rfind("/assets/", 0) == 0 || !page) {
                send(r, ApiResponse::error(404, "no such endpoint: " + q.path));
                return;
            }
            r.status = isAppPath(q.path) ? 200 : 404;
            r.set_header("Cache-Control", "no-cache");
            r.set_content(page->bytes, page->mimeType);
        });
    }

    void guards()
    {
        http.set_default_headers(
            {{"X-Content-Type-Options", "nosniff"},
             {"X-Frame-Options", "DENY"},
             {"Referrer-Policy", "no-referrer"},
             {"Cache-Control", "no-store"},
             {"Content-Security-Policy",
              "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"}});
        http.set_payload_max_length(kMaxBodyBytes);
        http.set_tcp_nodelay(true); // no 40 ms Nagle stall between headers and body
        http.set_read_timeout(5, 0);
        http.set_write_timeout(5, 0);
        http.set_keep_alive_max_count(10000);
        http.set_keep_alive_timeout(5);
        http.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &res) {
            const Verdict v = judge(config, port, facts(req));
            if (v.status == 0)
                return httplib::Server::HandlerResponse::Unhandled;
            send(res, ApiResponse::error(v.status, v.message));
            return httplib::Server::HandlerResponse::Handled;
        });
        // Whatever the library rejects on its own (bad request line, 413, 414, unknown
        // method) still answers with a JSON error rather than an empty body.
        http.set_error_handler([](const httplib::Request &, httplib::Response &res) {
            if (res.body.empty())
                send(res, ApiResponse::error(res.status, statusText(res.status)));
        });
        http.set_exception_handler(
            [](const httplib::Request &, httplib::Response &res, std::exception_ptr ep) {
                std::string what = "internal error";
                try {
                    std::rethrow_exception(ep);
                } catch (const std::exception &e) {
                    what += std::string(": ") + e.what();
                } catch (...) {
                }
                send(res, ApiResponse::error(500, what));
            });
    }
};

WebServer::WebServer(Session &session, ServeConfig config)
    : d_(std::make_unique<Impl>(session, std::move(config)))
{
    d_->guards();
    d_->routes();
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
    if (!d_->live()->watcher.syncNow(error))
        return false;
    if (d_->config.port == 0) {
        d_->port = d_->http.bind_to_any_port(d_->config.host);
        if (d_->port <= 0) {
            *error = "cannot listen on " + d_->config.host;
            return false;
        }
    } else if (d_->http.bind_to_port(d_->config.host, d_->config.port)) {
        d_->port = d_->config.port;
    } else {
        *error = "cannot listen on " + d_->config.host + ":" + std::to_string(d_->config.port) +
                 " (in use? try --port 0 for any free port)";
        return false;
    }
    return true;
}

int WebServer::port() const
{
    return d_->port;
}

void WebServer::run()
{
    d_->live()->watcher.start();
    d_->reloader = std::thread([this] { d_->reloadLoop(); });
    d_->http.listen_after_bind();
    d_->stopReloader();
    d_->live()->watcher.stop();
}

void WebServer::stop()
{
    d_->http.stop();
}

} // namespace kb::web
