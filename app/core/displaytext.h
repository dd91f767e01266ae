#pragma once

#include <string>
#include <string_view>

namespace kb {

// Record text made safe to print on a terminal, as git quotes paths: C0 and C1 control
// characters and DEL (ESC sequences that clear the screen or set the window title, a
// newline inside a file name) become visible escapes such as \x1b or \n, so text is
// shown, never obeyed, and one finding stays one line. Valid UTF-8 is kept as it is;
// a backslash is kept too (it cannot start a terminal sequence).
std::string displayLine(std::string_view text);
// The same for multi-line text (a body, a brief): newlines and tabs stay.
std::string displayBlock(std::string_view text);

} // namespace kb
