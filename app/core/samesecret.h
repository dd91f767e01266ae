#pragma once

#include <string>

namespace kb {

// Constant-time comparison, so a secret (a token, a token's hash) cannot be guessed byte
// by byte from timings. An empty secret matches nothing.
bool sameSecret(const std::string &given, const std::string &secret);

} // namespace kb
