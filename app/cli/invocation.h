#pragma once

#include <string>
#include <vector>

namespace kb {
class Session;

// The folder of the running executable (where kb looks for its plugins and kb-serve).
std::string executableDir();

// Global options (--root, --plugin-path) may stand anywhere before `--`; they go into the
// session and the rest (the command and its arguments) into `args`. Returns false after
// printing the usage error.
bool takeGlobalOptions(int argc, char **argv, Session &session, std::vector<std::string> *args);

// Replaces this process with the program `name` next to the running executable, with the
// same arguments (git-style subcommands: `kb serve` runs kb-serve, so that every other
// command starts without loading the HTTP library and OpenSSL). Returns only on failure,
// with the exit code after printing why.
int execSibling(const std::string &name, char **argv);

} // namespace kb
