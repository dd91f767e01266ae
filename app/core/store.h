#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/kbroot.h"
#include "core/record.h"

namespace kb {

// A Markdown file found under the root, with the signature the index compares.
struct FileEntry {
    std::string path; // relative, '/'-separated
    std::int64_t mtimeNs = 0;
    std::int64_t size = 0;
};

struct ScanResult {
    std::vector<FileEntry> files; // sorted by path
    std::vector<Finding> findings;
};

// Walks the root for *.md files. Skips hidden folders (.kb, .git); follows symlinks only
// when they stay inside the root; reports loops, dangling links, links leading outside
// the root and unreadable folders as findings. Only stats, never reads files.
ScanResult scanMarkdownFiles(const KbRoot &root);

// Reads and parses one file with the size limit applied. Never throws.
ParseResult loadRecordFile(const KbRoot &root, const std::string &relPath);

// Resolves a user-supplied relative path, refusing anything that leads outside the root.
bool resolveInsideRoot(const KbRoot &root, std::string_view relPath, std::string *absPath,
                       std::string *error);

// All records of a root, loaded once. Duplicate ids are findings; the first file (in
// path order) keeps the id.
class Store {
public:
    explicit Store(KbRoot root) : root_(std::move(root)) {}

    void load();
    const KbRoot &root() const { return root_; }
    const std::vector<Record> &records() const { return records_; }
    const std::vector<Finding> &findings() const { return findings_; }
    const Record *byId(std::string_view id) const;
    std::string absolutePath(const Record &r) const { return root_.dir + "/" + r.path; }

    // The id a record is known by: its `id` key, or one derived from the path for notes.
    static std::string effectiveId(const Record &r);

private:
    KbRoot root_;
    std::vector<Record> records_;
    std::vector<Finding> findings_;
    std::map<std::string, std::size_t, std::less<>> byId_;
};

} // namespace kb
