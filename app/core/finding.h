#pragma once

#include <string>

#include "core/displaytext.h"

namespace kb {
// A problem found in a file: reported as `path:line: message`.
struct Finding {
    std::string path; // relative to the root where possible
    int line = 0;     // 1-based; 0 when unknown
    std::string field;
    std::string message;
    bool warning = false; // reported; fails `kb check` only with --strict

    // One line for people: text from records and file names is escaped (displayLine).
    std::string toString() const
    {
        std::string s = displayLine(path);
        if (line > 0)
            s += ":" + std::to_string(line);
        return s + ": " + (warning ? "warning: " : "") + displayLine(message);
    }
};
} // namespace kb
