#pragma once

#include <string>

namespace kb {

// Opens $VISUAL, else $EDITOR, else vi on a file and waits for it. Returns false with a
// reason when the editor cannot be started or fails.
bool runEditor(const std::string &path, std::string *error);

} // namespace kb
