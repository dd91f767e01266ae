#pragma once

#include <memory>
#include <string>
#include <vector>

namespace kb {
class Session;

// The session of one run (the current folder, the plugins next to this executable, the
// terminal) with the global options (--root, --plugin-path, anywhere before `--`) applied;
// the rest (the command and its arguments) goes into `args`. nullptr after printing the
// usage error. Needs a QCoreApplication.
std::unique_ptr<Session> startSession(int argc, char **argv, std::vector<std::string> *args);

// Replaces this process with the program `name` next to the running executable, with the
// same arguments (git-style subcommands: `kb serve` runs kb-serve, so that every other
// command starts without loading the HTTP library and OpenSSL). Returns only on failure,
// with the exit code after printing why.
int execSibling(const std::string &name, char **argv);

} // namespace kb
