#include "core/kbroot.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

namespace kb {
namespace fs = std::filesystem;

namespace {
bool hasMarker(const fs::path &dir)
{
    std::error_code ec;
    return fs::is_regular_file(dir / kRootMarker, ec);
}
} // namespace

bool readRootConfig(KbRoot &root, std::string *error)
{
    const fs::path marker = fs::path(root.dir) / kRootMarker;
    std::string key = "max_file_bytes";
    try {
        YAML::Node cfg = YAML::LoadFile(marker.string());
        if (cfg && cfg.IsMap() && cfg["max_file_bytes"]) {
            auto v = cfg["max_file_bytes"].as<long long>();
            if (v <= 0)
                throw YAML::Exception(cfg["max_file_bytes"].Mark(), "must be positive");
            root.maxFileBytes = static_cast<std::uint64_t>(v);
        }
        key = "history";
        if (cfg && cfg.IsMap() && cfg["history"]) {
            const std::string v = cfg["history"].as<std::string>();
            if (v != "git" && v != "none")
                throw YAML::Exception(cfg["history"].Mark(),
                                      "is '" + v + "'; use git (a commit per write) or none");
            root.gitHistory = v == "git";
        }
    } catch (const YAML::Exception &e) {
        *error =
            marker.string() + ":" + std::to_string(e.mark.line + 1) + ": " + key + ": " + e.msg;
        return false;
    }
    return true;
}

bool locateRoot(const std::string &explicitRoot, const std::string &cwd, KbRoot *out,
                std::string *error)
{
    std::error_code ec;
    auto accept = [&](const fs::path &dir, const std::string &how) {
        fs::path abs = fs::weakly_canonical(fs::absolute(dir, ec), ec);
        if (!fs::is_directory(abs, ec)) {
            *error = how + " '" + dir.string() + "' is not a directory";
            return false;
        }
        if (!hasMarker(abs)) {
            *error = how + " '" + dir.string() + "' is not a kb root (no " + kRootMarker +
                     "; run `kb init " + dir.string() + "`)";
            return false;
        }
        out->dir = abs.string();
        return readRootConfig(*out, error);
    };
    if (!explicitRoot.empty())
        return accept(explicitRoot, "--root");
    if (const char *env = std::getenv("KB_ROOT"); env && *env)
        return accept(env, "KB_ROOT");
    for (fs::path dir = fs::absolute(cwd, ec);; dir = dir.parent_path()) {
        if (hasMarker(dir))
            return accept(dir, "root");
        if (dir == dir.parent_path())
            break;
    }
    if (hasMarker(fs::path(cwd) / "content"))
        return accept(fs::path(cwd) / "content", "root");
    *error = "no kb root found: pass --root DIR, set KB_ROOT, or run `kb init`";
    return false;
}

} // namespace kb
