// The layers of the source tree, as its includes draw them: SDK <- core <- indexer <-
// services <- cli, web. An include that points up or sideways, or that does not name its
// folder, fails here with the file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Layer {
    const char *folder; // under the source root
    const char *name;   // how includes name it ("core/store.h")
    int rank;
};

// cli and web share a rank: neither may include the other.
const std::vector<Layer> kLayers = {
    {"app/include/kb", "kb", 0},     {"app/core", "core", 1}, {"indexer", "indexer", 2},
    {"app/services", "services", 3}, {"app/cli", "cli", 4},   {"app/web", "web", 4},
};

const Layer *layerOfFile(const std::string &rel)
{
    for (const Layer &l : kLayers)
        if (rel.rfind(std::string(l.folder) + "/", 0) == 0 &&
            rel.find('/', std::string(l.folder).size() + 1) == std::string::npos)
            return &l;
    return nullptr;
}

const Layer *layerNamed(const std::string &name)
{
    for (const Layer &l : kLayers)
        if (name == l.name)
            return &l;
    return nullptr;
}

// Every violation in one file, "path:line: why".
std::vector<std::string> check(const fs::path &root, const fs::path &file)
{
    std::vector<std::string> out;
    const std::string rel = fs::relative(file, root).generic_string();
    const Layer *own = layerOfFile(rel);
    if (!own)
        return out;
    static const std::regex quoted(R"re(^\s*#\s*include\s+"([^"]+)")re");
    static const std::regex angled(R"re(^\s*#\s*include\s+<([^>]+)>)re");
    std::ifstream in(file);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        const std::string at = rel + ":" + std::to_string(n) + ": ";
        if (std::regex_search(line, m, angled)) {
            const std::string header = m[1];
            if (header == "xapian.h" && std::string(own->name) != "indexer")
                out.push_back(at + "only indexer/ may include <xapian.h>");
            continue;
        }
        if (!std::regex_search(line, m, quoted))
            continue;
        const std::string header = m[1];
        if (header.size() > 4 && (header.ends_with(".inc") || header.ends_with(".moc")))
            continue; // generated beside the build
        const std::size_t slash = header.find('/');
        if (slash == std::string::npos) {
            out.push_back(at + "\"" + header + "\" does not name its folder (\"core/" + header +
                          "\", ...)");
            continue;
        }
        const Layer *target = layerNamed(header.substr(0, slash));
        if (!target) {
            out.push_back(at + "\"" + header + "\" names no layer");
            continue;
        }
        if (target == own)
            continue;
        if (target->rank >= own->rank)
            out.push_back(at + own->name + " may not include " + target->name + " (\"" + header +
                          "\"): includes point down, SDK <- core <- indexer <- services <- "
                          "cli, web");
    }
    return out;
}

} // namespace

TEST(Layers, IncludesPointDownAndNameTheirFolder)
{
    const fs::path root = KB_SOURCE_DIR;
    std::vector<std::string> violations;
    int files = 0;
    for (const char *top : {"app", "indexer"})
        for (const auto &e : fs::recursive_directory_iterator(root / top)) {
            const std::string ext = e.path().extension().string();
            if (!e.is_regular_file() || (ext != ".h" && ext != ".cpp"))
                continue;
            ++files;
            for (std::string &v : check(root, e.path()))
                violations.push_back(std::move(v));
        }
    EXPECT_GT(files, 100) << "the source tree was not found under " << root;
    std::string said;
    for (const std::string &v : violations)
        said += v + "\n";
    EXPECT_TRUE(violations.empty()) << violations.size() << " include(s) out of layer:\n" << said;
}

TEST(Layers, TheCheckCatchesWhatItShould)
{
    // Its own oracle: a core file that includes services, a web file that includes cli, a
    // services file with a bare include, and a cli file including xapian.h.
    const fs::path root = fs::temp_directory_path() / ("kb-layers-" + std::to_string(::getpid()));
    auto write = [&](const std::string &rel, const std::string &text) {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << text;
        return root / rel;
    };
    EXPECT_EQ(check(root, write("app/core/a.cpp", "#include \"services/session.h\"\n")).size(), 1u);
    EXPECT_EQ(check(root, write("app/web/b.cpp", "#include \"cli/commands.h\"\n")).size(), 1u);
    EXPECT_EQ(check(root, write("app/services/c.cpp", "#include \"store.h\"\n")).size(), 1u);
    EXPECT_EQ(check(root, write("app/cli/d.cpp", "#include <xapian.h>\n")).size(), 1u);
    EXPECT_EQ(check(root, write("app/web/e.cpp", "#include \"services/session.h\"\n"
                                                 "#include \"core/store.h\"\n"
                                                 "#include <kb/sdk.h>\n"))
                  .size(),
              0u);
    const auto said = check(root, write("indexer/f.cpp", "\n#include \"services/x.h\"\n"));
    ASSERT_EQ(said.size(), 1u);
    EXPECT_EQ(said[0].rfind("indexer/f.cpp:2: indexer may not include services", 0), 0u) << said[0];
    fs::remove_all(root);
}
