#pragma once

#include <string>

namespace kb {
// A problem found in a file: reported as `path:line: message`.
struct Finding {
    std::string path; // relative to the root where possible
    int line = 0;     // 1-based; 0 when unknown
    std::string field;
    std::string message;
    bool warning = false; // reported; fails `kb check` only with --strict

    std::string toString() const
    {
        std::string s = path;
        if (line > 0)
            s += ":" + std::to_string(line);
        return s + ": " + (warning ? "warning: " : "") + message;
    }
};
} // namespace kb
