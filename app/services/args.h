#pragma once

#include <map>
#include <string>
#include <vector>

namespace kb {

// Command-line options of one command: `--name VALUE`, `--name=VALUE` or `--flag`.
struct OptionSpec {
    std::string name;
    bool takesValue = false;
    std::string help;
};

struct ParsedArgs {
    std::vector<std::string> positional;
    std::map<std::string, std::vector<std::string>> values; // options with values, in order
    std::map<std::string, bool> flags;
    bool help = false;

    bool flag(const std::string &n) const { return flags.count(n) > 0; }
    std::string value(const std::string &n, const std::string &fallback = {}) const;
};

// Parses args against specs. With `allowExtra`, unknown `--x VALUE` options are accepted
// as values (used for schema fields of `kb new`). Returns false with a message.
bool parseArgs(const std::vector<std::string> &args, const std::vector<OptionSpec> &specs,
               bool allowExtra, ParsedArgs *out, std::string *error);

// "a, b,c" -> {"a", "b", "c"}: how list fields are given on the command line.
std::vector<std::string> splitCommaList(const std::string &text);

std::string formatOptions(const std::vector<OptionSpec> &specs);

} // namespace kb
