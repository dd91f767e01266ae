#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb {

// The promise of every edit, checked on the bytes about to be written: `after` reads as a
// record; every key not in `sets` holds exactly the value it held in `before` (same data,
// as the YAML parser reports it) and no key appeared or vanished; every key in `sets`
// holds the value its serialised YAML says; the bytes before the YAML (BOM, delimiter)
// are unchanged; the body is unchanged, or when `appended` it still starts with the old
// one. Returns an empty string when the promise holds, else what broke, in one line.
std::string proveRecordEdit(const std::string &before, const std::string &after,
                            const std::vector<std::pair<std::string, std::string>> &sets,
                            bool appended);

} // namespace kb
