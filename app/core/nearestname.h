#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb {

// The known name a misspelt one most likely meant ("Requried" -> "Required", "stauts" ->
// "status"): at most two edits, fewer for short names, case ignored. "" when none is near.
std::string nearestName(std::string_view name, const std::vector<std::string> &known);

} // namespace kb
