#include "services/args.h"

namespace kb {

std::string ParsedArgs::value(const std::string &n, const std::string &fallback) const
{
    auto it = values.find(n);
    return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

bool parseArgs(const std::vector<std::string> &args, const std::vector<OptionSpec> &specs,
               bool allowExtra, ParsedArgs *out, std::string *error)
{
    bool onlyPositional = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (onlyPositional || a.size() < 2 || a[0] != '-' || a == "-") {
            out->positional.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositional = true;
            continue;
        }
        if (a == "-h" || a == "--help") {
            out->help = true;
            continue;
        }
        if (a.rfind("--", 0) != 0) {
            *error = "unknown option '" + a + "'";
            return false;
        }
        std::string name = a.substr(2);
        std::string inlineValue;
        bool hasInline = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
            hasInline = true;
        }
        const OptionSpec *spec = nullptr;
        for (const auto &s : specs)
            if (s.name == name)
                spec = &s;
        bool takesValue = spec ? spec->takesValue : allowExtra;
        if (!spec && !allowExtra) {
            *error = "unknown option '--" + name + "'";
            return false;
        }
        if (!takesValue) {
            if (hasInline) {
                *error = "option '--" + name + "' takes no value";
                return false;
            }
            out->flags[name] = true;
            continue;
        }
        if (!hasInline) {
            if (i + 1 >= args.size()) {
                *error = "option '--" + name + "' needs a value";
                return false;
            }
            inlineValue = args[++i];
        }
        out->values[name].push_back(inlineValue);
    }
    return true;
}

std::vector<std::string> splitCommaList(const std::string &text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        std::string item =
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty())
            out.push_back(item);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

std::string formatOptions(const std::vector<OptionSpec> &specs)
{
    std::string out;
    for (const auto &s : specs) {
        std::string left = "  --" + s.name + (s.takesValue ? " VALUE" : "");
        if (left.size() < 26)
            left.resize(26, ' ');
        else
            left += "  ";
        out += left + s.help + "\n";
    }
    return out;
}

} // namespace kb
