#pragma once

#include <cstdint>
#include <string>

namespace kb {

// The file that marks a folder as a knowledge-base root and holds its settings.
inline constexpr const char *kRootMarker = "kb.yaml";

struct KbRoot {
    std::string dir; // absolute, no trailing '/'
    std::uint64_t maxFileBytes = 10ull * 1024 * 1024;
    // `history: git`: every write by kb is one commit in the git work tree holding the
    // root (author: who made it), listed by `kb log`.
    bool gitHistory = false;
};

// --root, else $KB_ROOT, else the nearest parent of `cwd` holding kb.yaml, else
// `cwd/content` when it holds one (a fresh checkout). Returns false with a message.
bool locateRoot(const std::string &explicitRoot, const std::string &cwd, KbRoot *out,
                std::string *error);

// Reads settings from kb.yaml (max_file_bytes, history). Bad settings are an error.
bool readRootConfig(KbRoot &root, std::string *error);

} // namespace kb
