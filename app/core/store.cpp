#include "core/store.h"

#include "core/atomicfile.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <iterator>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace kb {
namespace fs = std::filesystem;

namespace {

bool isInside(const std::string &root, const std::string &path)
{
    return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                            path[root.size()] == '/');
}

bool endsWithMd(const std::string &name)
{
    return name.size() > 3 && name.compare(name.size() - 3, 3, ".md") == 0;
}

FileEntry fileEntry(std::string relPath, const struct stat &st)
{
    return {std::move(relPath),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
            static_cast<std::int64_t>(st.st_size)};
}

// The regular .md files of one folder, stat'ed once the walk has listed every folder.
struct FolderFiles {
    std::string absDir, relDir;
    std::vector<std::string> names;
};

// Stats the listed files, on several threads for a large root: at 100k files the stat
// calls are most of a no-change `kb index`, and the kernel runs them in parallel.
std::vector<FileEntry> statListedFiles(const std::vector<FolderFiles> &folders)
{
    struct Chunk {
        const FolderFiles *folder;
        std::size_t begin, end;
    };
    constexpr std::size_t kChunk = 512;
    std::vector<Chunk> chunks;
    std::size_t total = 0;
    for (const FolderFiles &f : folders) {
        for (std::size_t i = 0; i < f.names.size(); i += kChunk)
            chunks.push_back({&f, i, std::min(f.names.size(), i + kChunk)});
        total += f.names.size();
    }
    std::vector<std::vector<FileEntry>> results(chunks.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t c; (c = next++) < chunks.size();) {
            const FolderFiles &f = *chunks[c].folder;
            const int dirFd = ::open(f.absDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dirFd < 0)
                continue; // removed while walking
            for (std::size_t i = chunks[c].begin; i < chunks[c].end; ++i) {
                struct stat st {};
                if (::fstatat(dirFd, f.names[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                    !S_ISREG(st.st_mode))
                    continue; // removed or replaced since the listing
                results[c].push_back(
                    fileEntry(f.relDir.empty() ? f.names[i] : f.relDir + "/" + f.names[i], st));
            }
            ::close(dirFd);
        }
    };
    const unsigned threads =
        total >= 4096 ? std::clamp(std::thread::hardware_concurrency(), 1u, 4u) : 1u;
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < threads; ++t)
        helpers.emplace_back(work);
    work();
    for (std::thread &t : helpers)
        t.join();
    std::vector<FileEntry> files;
    files.reserve(total);
    for (auto &r : results)
        std::move(r.begin(), r.end(), std::back_inserter(files));
    return files;
}

struct Walker {
    const KbRoot &root;
    ScanResult &out;
    std::set<std::pair<dev_t, ino_t>> visited; // folders already walked: breaks loops
    std::vector<FolderFiles> listed;           // regular files, stat'ed after the walk

    void walk(const std::string &absDir, const std::string &relDir)
    {
        struct stat dirSt {};
        if (::stat(absDir.c_str(), &dirSt) != 0)
            return;
        if (!visited.insert({dirSt.st_dev, dirSt.st_ino}).second) {
            out.findings.push_back(
                {relDir, 0, {}, "symlink loop: folder already visited, skipped"});
            return;
        }
        DIR *d = ::opendir(absDir.c_str());
        if (!d) {
            out.findings.push_back({relDir.empty() ? "." : relDir,
                                    0,
                                    {},
                                    std::string("cannot read folder: ") + std::strerror(errno)});
            return;
        }
        // Names and types from the listing; only .md files, links and unknown types are
        // stat'ed, relative to the open folder (no path walk per file). Regular files wait
        // for statListedFiles.
        std::vector<std::pair<std::string, unsigned char>> names;
        while (dirent *e = ::readdir(d)) {
            std::string name = e->d_name;
            if (name.empty() || name[0] == '.') {
                // ., .., .kb, .git, editor temp files; a killed kb's own temporaries go.
                if (const std::string abs = absDir + "/" + name; isStaleTemporary(abs))
                    ::unlink(abs.c_str());
                continue;
            }
            names.emplace_back(std::move(name), e->d_type);
        }
        std::sort(names.begin(), names.end());
        const int dirFd = ::dirfd(d);
        FolderFiles regular{absDir, relDir, {}};
        for (const auto &[name, type] : names) {
            if (type == DT_REG) {
                if (endsWithMd(name))
                    regular.names.push_back(name);
                continue;
            }
            std::string abs = absDir + "/" + name;
            std::string rel = relDir.empty() ? name : relDir + "/" + name;
            if (type == DT_DIR) {
                walk(abs, rel);
                continue;
            }
            struct stat st {};
            if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue;
            if (S_ISLNK(st.st_mode)) {
                std::error_code ec;
                fs::path target = fs::canonical(abs, ec);
                if (ec) {
                    if (endsWithMd(name) || ec == std::errc::too_many_symbolic_link_levels)
                        out.findings.push_back(
                            {rel, 0, {}, "broken symlink or symlink loop: " + ec.message()});
                    continue;
                }
                if (!isInside(root.dir, target.string())) {
                    out.findings.push_back(
                        {rel,
                         0,
                         {},
                         "symlink leads outside the root (" + target.string() + "), skipped"});
                    continue;
                }
                if (::stat(abs.c_str(), &st) != 0)
                    continue;
            }
            if (S_ISDIR(st.st_mode)) {
                walk(abs, rel);
            } else if (S_ISREG(st.st_mode) && endsWithMd(name)) {
                out.files.push_back(fileEntry(rel, st));
            }
        }
        ::closedir(d);
        if (!regular.names.empty())
            listed.push_back(std::move(regular));
    }
};

} // namespace

ScanResult scanMarkdownFiles(const KbRoot &root)
{
    ScanResult out;
    Walker w{root, out, {}, {}};
    w.walk(root.dir, "");
    std::vector<FileEntry> regular = statListedFiles(w.listed);
    out.files.insert(out.files.end(), std::make_move_iterator(regular.begin()),
                     std::make_move_iterator(regular.end()));
    std::sort(out.files.begin(), out.files.end(),
              [](const FileEntry &a, const FileEntry &b) { return a.path < b.path; });
    return out;
}

bool resolveInsideRoot(const KbRoot &root, std::string_view relPath, std::string *absPath,
                       std::string *error)
{
    if (relPath.empty() || relPath.front() == '/' || relPath.find('\0') != std::string_view::npos) {
        *error = "path must be relative to the root";
        return false;
    }
    fs::path joined = fs::path(root.dir) / fs::path(std::string(relPath));
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(joined, ec);
    if (ec || !isInside(root.dir, resolved.string())) {
        *error = std::string(relPath) + ": path leads outside the root";
        return false;
    }
    *absPath = resolved.string();
    return true;
}

ParseResult loadRecordFile(const KbRoot &root, const std::string &relPath)
{
    ParseResult result;
    std::string abs;
    std::string error;
    if (!resolveInsideRoot(root, relPath, &abs, &error)) {
        result.findings.push_back({relPath, 0, {}, error});
        return result;
    }
    struct stat st {};
    if (::stat(abs.c_str(), &st) != 0) {
        result.findings.push_back(
            {relPath, 0, {}, std::string("cannot read: ") + std::strerror(errno)});
        return result;
    }
    if (static_cast<std::uint64_t>(st.st_size) > root.maxFileBytes) {
        result.findings.push_back({relPath,
                                   0,
                                   {},
                                   "file is " + std::to_string(st.st_size) + " bytes, over the " +
                                       std::to_string(root.maxFileBytes) +
                                       "-byte limit (max_file_bytes in kb.yaml); skipped"});
        return result;
    }
    std::string text;
    if (!readWholeFile(abs, &text, &error)) {
        result.findings.push_back({relPath, 0, {}, "cannot read: " + error});
        return result;
    }
    return parseRecord(relPath, std::move(text));
}

std::string Store::effectiveId(const Record &r)
{
    std::string id = r.id();
    return id.empty() ? noteIdFromPath(r.path) : id;
}

void Store::load()
{
    records_.clear();
    findings_.clear();
    byId_.clear();
    ScanResult scan = scanMarkdownFiles(root_);
    findings_ = std::move(scan.findings);
    for (const auto &file : scan.files) {
        ParseResult parsed = loadRecordFile(root_, file.path);
        findings_.insert(findings_.end(), parsed.findings.begin(), parsed.findings.end());
        if (!parsed.record)
            continue;
        std::string id = effectiveId(*parsed.record);
        auto it = byId_.find(id);
        if (it != byId_.end()) {
            findings_.push_back(
                {file.path, parsed.record->lineOf("id"), "id",
                 "duplicate id '" + id + "' (also in " + records_[it->second].path + ")"});
            continue;
        }
        byId_.emplace(id, records_.size());
        records_.push_back(std::move(*parsed.record));
    }
}

const Record *Store::byId(std::string_view id) const
{
    auto it = byId_.find(id);
    return it == byId_.end() ? nullptr : &records_[it->second];
}

} // namespace kb
