#include "core/vocabulary.h"

#include "core/atomicfile.h"
#include "core/textcheck.h"
#include "core/vocabcache.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

namespace kb {
namespace {

VocabSnapshot parseVocabFiles(const VocabFiles &files)
{
    VocabSnapshot out;
    std::vector<Finding> &findings = out.findings;
    for (const auto &[fileName, text] : files) {
        const std::string rel = "vocab/" + fileName;
        const std::string stem = std::filesystem::path(fileName).stem().string();
        if (firstInvalidUtf8(text) != std::string::npos || looksBinary(text)) {
            findings.push_back({rel, 0, {}, "vocabulary is not valid UTF-8 text"});
            continue;
        }
        try {
            YAML::Node root = YAML::Load(text);
            if (root.IsNull()) { // only comments yet: a starter file `kb init` wrote
                out.lists[stem] = {};
                continue;
            }
            YAML::Node list = root.IsMap() ? root["terms"] : root;
            if (!list.IsSequence()) {
                findings.push_back({rel, 1, {}, "vocabulary must be a list of terms"});
                continue;
            }
            std::vector<Term> terms;
            for (const auto &n : list) {
                if (!n.IsMap() || !n["id"] || !n["id"].IsScalar()) {
                    findings.push_back({rel,
                                        static_cast<int>(n.Mark().line) + 1,
                                        {},
                                        "vocabulary entry needs an `id`"});
                    continue;
                }
                Term t;
                t.id = n["id"].Scalar();
                auto scalar = [&](const char *key) {
                    return n[key] && n[key].IsScalar() ? n[key].Scalar() : std::string();
                };
                t.zh = scalar("zh");
                t.en = scalar("en");
                t.description = scalar("description");
                if (n["aliases"] && n["aliases"].IsSequence())
                    for (const auto &a : n["aliases"])
                        if (a.IsScalar())
                            t.aliases.push_back(a.Scalar());
                terms.push_back(std::move(t));
            }
            out.lists[stem] = std::move(terms);
        } catch (const YAML::Exception &e) {
            findings.push_back(
                {rel, static_cast<int>(e.mark.line) + 1, {}, "invalid YAML: " + e.msg});
        }
    }
    return out;
}

} // namespace

std::vector<Finding> Vocabularies::load(const std::string &rootDir)
{
    namespace fs = std::filesystem;
    lists_.clear();
    const fs::path dir = fs::path(rootDir) / "vocab";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return {};
    std::vector<fs::path> paths;
    for (const auto &e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
            paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    VocabFiles files;
    for (const auto &path : paths) {
        std::string text, error;
        readWholeFile(path.string(), &text, &error); // unreadable: empty, reported as no list
        files.emplace_back(path.filename().string(), std::move(text));
    }
    const std::string key = vocabCacheKey(files);
    VocabSnapshot snapshot;
    if (!readVocabCache(rootDir, key, &snapshot)) {
        snapshot = parseVocabFiles(files);
        writeVocabCache(rootDir, key, snapshot);
    }
    lists_ = std::move(snapshot.lists);
    return snapshot.findings;
}

const std::vector<Term> *Vocabularies::get(std::string_view name) const
{
    auto it = lists_.find(name);
    return it == lists_.end() ? nullptr : &it->second;
}

const Term *Vocabularies::lookup(std::string_view name, std::string_view value) const
{
    const auto *terms = get(name);
    if (!terms)
        return nullptr;
    for (const auto &t : *terms) {
        if (t.id == value || t.zh == value || t.en == value)
            return &t;
        for (const auto &a : t.aliases)
            if (a == value)
                return &t;
    }
    return nullptr;
}

std::vector<std::string> Vocabularies::names() const
{
    std::vector<std::string> out;
    for (const auto &[k, v] : lists_)
        out.push_back(k);
    return out;
}

} // namespace kb
