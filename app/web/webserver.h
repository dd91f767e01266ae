#pragma once

#include "services/serveconfig.h"

#include <memory>
#include <string>

namespace kb {
class Session;
}

namespace kb::web {

// `kb serve`: the web app and its JSON API on one port, over HTTP or HTTPS. Connections
// are multiplexed by epoll onto a pool of threads, within the limits of ServeLimits; the index
// follows file changes through an IndexWatcher, and a change to kb.yaml, a vocabulary or a plugin
// rebuilds the server's state without a restart.
class WebServer {
public:
    WebServer(Session &session, ServeConfig config);
    ~WebServer();
    WebServer(const WebServer &) = delete;
    WebServer &operator=(const WebServer &) = delete;

    bool bind(std::string *error); // brings the index up to date, then binds
    int port() const;
    bool run(std::string *error); // serves until stop()
    void stop();                  // safe from a signal-handling thread
    // After run(): the listening socket to re-execute with when a plugin module changed
    // (its new code needs a new process), else -1.
    int restartSocket() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

} // namespace kb::web
