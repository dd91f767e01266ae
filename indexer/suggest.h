#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

// The candidate closest to `word` by edit distance (code points), if within
// `maxDistance`; "" otherwise. For "did you mean" hints.
std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates,
                         int maxDistance = 2);

} // namespace kb::search
