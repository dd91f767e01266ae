#include "vocabulary.h"

#include "textcheck.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kb {

std::vector<Finding> Vocabularies::load(const std::string &rootDir)
{
    namespace fs = std::filesystem;
    std::vector<Finding> findings;
    const fs::path dir = fs::path(rootDir) / "vocab";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return findings;
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto &file : files) {
        const std::string rel = "vocab/" + file.filename().string();
        std::ifstream in(file, std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        const std::string text = buf.str();
        if (firstInvalidUtf8(text) != std::string::npos || looksBinary(text)) {
            findings.push_back({rel, 0, {}, "vocabulary is not valid UTF-8 text"});
            continue;
        }
        try {
            YAML::Node root = YAML::Load(text);
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
                auto text = [&](const char *key) {
                    return n[key] && n[key].IsScalar() ? n[key].Scalar() : std::string();
                };
                t.zh = text("zh");
                t.en = text("en");
                t.description = text("description");
                if (n["aliases"] && n["aliases"].IsSequence())
                    for (const auto &a : n["aliases"])
                        if (a.IsScalar())
                            t.aliases.push_back(a.Scalar());
                terms.push_back(std::move(t));
            }
            lists_[file.stem().string()] = std::move(terms);
        } catch (const YAML::Exception &e) {
            findings.push_back(
                {rel, static_cast<int>(e.mark.line) + 1, {}, "invalid YAML: " + e.msg});
        }
    }
    return findings;
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
