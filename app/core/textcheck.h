#pragma once

#include <cstddef>
#include <string_view>

namespace kb {
// Byte offset of the first invalid UTF-8 sequence, or npos when the text is valid.
std::size_t firstInvalidUtf8(std::string_view text);
// A file that holds NUL bytes is binary, whatever its name says.
bool looksBinary(std::string_view text);
// 1-based line number of a byte offset.
int lineOfOffset(std::string_view text, std::size_t offset);
} // namespace kb
