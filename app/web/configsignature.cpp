#include "web/configsignature.h"

#include <algorithm>
#include <filesystem>
#include <sys/stat.h>

namespace kb::web {
namespace {

void addFile(std::string &out, const std::string &path)
{
    struct stat st {};
    out += path;
    if (::stat(path.c_str(), &st) != 0) {
        out += " -\n";
        return;
    }
    out += ' ' + std::to_string(st.st_size) + ' ' + std::to_string(st.st_mtim.tv_sec) + '.' +
           std::to_string(st.st_mtim.tv_nsec) + ' ' + std::to_string(st.st_ctim.tv_sec) + '.' +
           std::to_string(st.st_ctim.tv_nsec) + '\n';
}

} // namespace

std::string configSignature(const KbRoot &root, const std::vector<std::string> &pluginFiles)
{
    std::string out;
    addFile(out, root.dir + "/kb.yaml");
    std::vector<std::string> vocab;
    std::error_code ec;
    for (const auto &e : std::filesystem::directory_iterator(root.dir + "/vocab", ec))
        vocab.push_back(e.path().string());
    std::sort(vocab.begin(), vocab.end());
    for (const std::string &path : vocab)
        addFile(out, path);
    for (const std::string &path : pluginFiles)
        addFile(out, path);
    return out;
}

} // namespace kb::web
