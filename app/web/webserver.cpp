#include "webserver.h"

#include "indexwatcher.h"
#include "session.h"
#include "webapi.h"
#include "webassets.h"

#include <httplib.h>

#include <QJsonObject>

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

struct WebServer::Impl {
    Session &session;
    ServeConfig config;
    WebApi api;
    IndexWatcher watcher;
    httplib::Server http;
    int port = 0;

    Impl(Session &s, ServeConfig c)
        : session(s), config(std::move(c)), api(s),
          watcher(s.root(), s.indexSchema(), [this] { api.recordsChanged(); })
    {
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
        http.Get("/api/info", [this](Req q, Res r) { send(r, api.info(access(q))); });
        http.Get("/api/schema", [this](Req, Res r) { send(r, api.schema()); });
        http.Get("/api/search",
                 [this](Req q, Res r) { send(r, api.search(params(q), access(q))); });
        http.Get("/api/similar",
                 [this](Req q, Res r) { send(r, api.similar(params(q), access(q))); });
        http.Get("/api/records",
                 [this](Req q, Res r) { send(r, api.listRecords(params(q), access(q))); });
        http.Post("/api/records",
                  [this](Req q, Res r) { send(r, api.createRecord(body(q), access(q))); });
        http.Get(R"(/api/records/([^/]+))",
                 [this](Req q, Res r) { send(r, api.record(q.matches[1], access(q))); });
        http.Put(R"(/api/records/([^/]+))", [this](Req q, Res r) {
            send(r, api.updateRecord(q.matches[1], body(q), access(q)));
        });
        http.Get(R"(/api/views/([^/]+)/([^/]+))", [this](Req q, Res r) {
            send(r, api.view(q.matches[1], q.matches[2], params(q), access(q)));
        });
        http.Post(R"(/api/views/([^/]+)/([^/]+)/move)", [this](Req q, Res r) {
            send(r, api.moveCard(q.matches[1], q.matches[2], body(q), access(q)));
        });
        http.Get("/api/plugins", [this](Req, Res r) { send(r, api.plugins()); });
        http.Get("/api/check", [this](Req, Res r) { send(r, api.check()); });
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
    if (!d_->watcher.syncNow(error))
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
    d_->watcher.start();
    d_->http.listen_after_bind();
    d_->watcher.stop();
}

void WebServer::stop()
{
    d_->http.stop();
}

} // namespace kb::web
