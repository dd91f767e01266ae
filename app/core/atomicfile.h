#pragma once

#include <string>

namespace kb {

// Writes `content` to `path` through a temporary file in the same folder, fsync and
// rename, then fsyncs the folder: a crash leaves the old file or the new one, never a
// mix. The temporary file is read back and compared before it replaces anything. With `createOnly`, fails (errno EEXIST) instead of replacing an existing file.
bool writeFileAtomically(const std::string &path, const std::string &content, bool createOnly,
                         std::string *error);

// Whether `path` is a temporary file writeFileAtomically left behind (a killed process):
// its name pattern, `.NAME.tmp.XXXXXX`, and last modified over a minute ago.
bool isStaleTemporary(const std::string &path);
// Removes the stale temporaries of one folder; returns how many.
int removeStaleTemporaries(const std::string &dir);

// Reads a whole file; false with a reason (strerror) on failure.
bool readWholeFile(const std::string &path, std::string *content, std::string *error);

} // namespace kb
