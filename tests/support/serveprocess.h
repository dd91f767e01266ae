#pragma once

#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kbtest {

// `kb serve --port 0` on a root, started for one test and stopped (SIGTERM) with it.
// Reads the URL the server prints, so tests never guess a port.
class ServeProcess {
public:
    ServeProcess(const std::string &root, const std::vector<std::string> &extraArgs = {},
                 const std::map<std::string, std::string> &env = {},
                 const std::string &stderrPath = ""); // the server's log there, when given
    ~ServeProcess();
    ServeProcess(const ServeProcess &) = delete;
    ServeProcess &operator=(const ServeProcess &) = delete;

    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    bool alive() const;
    int stop(); // SIGTERM, then the exit status

private:
    pid_t pid_ = -1;
    int port_ = 0;
};

// A TCP port nobody listens on right now.
int freePort();

} // namespace kbtest
