#include "args.h"
#include "atomicfile.h"
#include "commands.h"
#include "kbroot.h"
#include "output.h"
#include "session.h"

#include <filesystem>

namespace kb {

int runInit(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    if (!parseArgs(args, {}, false, &a, &error))
        return usageError("init", error);
    if (a.help) {
        printOut("Usage: kb init [DIR]\n\nMakes DIR (default: the current folder) a knowledge-base "
                 "root: writes kb.yaml, vocab/ and a .gitignore for the index.\n");
        return 0;
    }
    if (a.positional.size() > 1)
        return usageError("init", "takes at most one folder");
    namespace fs = std::filesystem;
    fs::path dir = a.positional.empty() ? fs::path(s.cwd()) : fs::path(a.positional[0]);
    if (dir.is_relative())
        dir = fs::path(s.cwd()) / dir;
    std::error_code ec;
    fs::create_directories(dir / "vocab", ec);
    if (ec)
        return environmentError(dir.string() + ": " + ec.message());
    const fs::path marker = dir / kRootMarker;
    if (fs::exists(marker)) {
        printOut("kb root already exists: " + dir.lexically_normal().string() + "\n");
        return 0;
    }
    if (!writeFileAtomically(marker.string(),
                             "# kb knowledge-base root. Records are Markdown files below this "
                             "folder.\n# Files larger than this are reported and skipped.\n"
                             "max_file_bytes: 10485760\n",
                             true, &error))
        return environmentError(error);
    if (!fs::exists(dir / ".gitignore"))
        writeFileAtomically((dir / ".gitignore").string(),
                            "# the search index, rebuilt from the files\n.kb/\n", true, &error);
    printOut("initialised kb root " + dir.lexically_normal().string() + "\n");
    return 0;
}

} // namespace kb
