#include "cli/commands.h"
#include "core/atomicfile.h"
#include "core/kbroot.h"
#include "services/args.h"
#include "services/output.h"
#include "services/session.h"

#include <filesystem>

namespace kb {
namespace {

namespace fs = std::filesystem;

// The organisation's shared vocabularies, installed with kb (`share/kb/vocab` beside
// `bin/`; the build tree has the same layout).
constexpr const char *kSharedVocabularies[] = {"touchpoints.yaml", "principles.yaml",
                                               "glossary.yaml"};

// Lists each team keeps for itself: commented, empty, ready to fill.
struct Starter {
    const char *file, *text;
};
constexpr Starter kStarters[] = {
    {"customers.yaml",
     "# Customers as records name them: an id, the Chinese and English names, and aliases\n"
     "# (other spellings people use). A record may name a customer by any of them.\n"
     "# - {id: tm-malaysia, zh: 马来西亚电信, en: Telekom Malaysia, aliases: [马电, TM]}\n"},
    {"regions.yaml",
     "# Sales regions.\n# - {id: southeast-asia, zh: 东南亚, en: Southeast Asia}\n"},
    {"competitors.yaml", "# Competitors (友商) that intelligence records name.\n"
                         "# - {id: vendor-a, zh: 友商A, en: Vendor A, aliases: [A公司]}\n"},
};

fs::path sharedVocabularyDir(const Session &s)
{
    return fs::path(s.exeDir()) / ".." / "share" / "kb" / "vocab";
}

} // namespace

int runInit(Session &s, const Args &args)
{
    ParsedArgs a;
    std::string error;
    const std::vector<OptionSpec> specs = {
        {"bare", false, "no vocabularies: an empty vocab/ folder"},
    };
    if (!parseArgs(args, specs, false, &a, &error))
        return usageError("init", error);
    if (a.help) {
        printOut("Usage: kb init [DIR] [--bare]\n\nMakes DIR (default: the current folder) a "
                 "knowledge-base root: writes kb.yaml, a .gitignore for the index and vocab/ "
                 "with the organisation's shared vocabularies (the 11 touchpoints, the 11 "
                 "principles, the bilingual glossary, installed with kb) and commented, empty "
                 "lists for customers, regions and competitors.\n\n" +
                 formatOptions(specs));
        return 0;
    }
    if (a.positional.size() > 1)
        return usageError("init", "takes at most one folder");
    fs::path dir = a.positional.empty() ? fs::path(s.cwd()) : fs::path(a.positional[0]);
    if (dir.is_relative())
        dir = fs::path(s.cwd()) / dir;
    const fs::path marker = dir / kRootMarker;
    if (fs::exists(marker)) {
        printOut("kb root already exists: " + dir.lexically_normal().string() + "\n");
        return 0;
    }
    const bool bare = a.flag("bare");
    const fs::path shared = sharedVocabularyDir(s);
    if (!bare)
        for (const char *file : kSharedVocabularies)
            if (!fs::is_regular_file(shared / file))
                return environmentError("the shared vocabularies are missing: no " +
                                        (shared / file).lexically_normal().string() +
                                        " (a broken install?); `kb init --bare` makes a root "
                                        "without them");
    std::error_code ec;
    fs::create_directories(dir / "vocab", ec);
    if (ec)
        return environmentError(dir.string() + ": " + ec.message());
    if (!bare) {
        for (const char *file : kSharedVocabularies) {
            std::string text;
            if (!readWholeFile((shared / file).string(), &text, &error))
                return environmentError((shared / file).string() + ": " + error);
            if (!fs::exists(dir / "vocab" / file) &&
                !writeFileAtomically((dir / "vocab" / file).string(), text, true, &error))
                return environmentError(error);
        }
        for (const Starter &starter : kStarters)
            if (!fs::exists(dir / "vocab" / starter.file) &&
                !writeFileAtomically((dir / "vocab" / starter.file).string(), starter.text, true,
                                     &error))
                return environmentError(error);
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
    printOut("initialised kb root " + dir.lexically_normal().string() +
             (bare ? " (bare: no vocabularies)\n"
                   : " with the shared touchpoints, principles and glossary\n"));
    return 0;
}

} // namespace kb
