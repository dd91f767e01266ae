#pragma once

#include <string>

namespace kb {

// Writes `content` to `path` through a temporary file in the same folder, fsync and
// rename, then fsyncs the folder: a crash leaves the old file or the new one, never a
// mix. With `createOnly`, fails (errno EEXIST) instead of replacing an existing file.
bool writeFileAtomically(const std::string &path, const std::string &content, bool createOnly,
                         std::string *error);

// Reads a whole file; false with a reason (strerror) on failure.
bool readWholeFile(const std::string &path, std::string *content, std::string *error);

} // namespace kb
