#include "cli/editor.h"

#include <cstdlib>
#include <sys/wait.h>

namespace kb {

bool runEditor(const std::string &path, std::string *error)
{
    const char *editor = std::getenv("VISUAL");
    if (!editor || !*editor)
        editor = std::getenv("EDITOR");
    if (!editor || !*editor)
        editor = "vi";
    // The editor variable may hold arguments ("code --wait"), so let the shell split it;
    // the path goes in as a positional parameter, never through the command string.
    std::string quoted = "'";
    for (char c : path)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    std::string cmd = std::string(editor) + " " + quoted;
    int status = std::system(cmd.c_str());
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        *error = std::string("editor '") + editor + "' failed";
        return false;
    }
    return true;
}

} // namespace kb
