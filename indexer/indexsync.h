#pragma once

#include "core/finding.h"
#include "core/kbroot.h"
#include "indexer/indexformat.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace kb::search {

class IndexSchema;

struct SyncOptions {
    bool rebuild = false;
    int lockTimeoutMs = 30000;
    int threads = 0; // analysis threads; 0: one per core
    // Called now and then with (done, total) while documents are written.
    std::function<void(std::size_t, std::size_t)> progress;
    void (*onLockWait)(long holderPid) = nullptr;
};

struct SyncReport {
    std::size_t added = 0, updated = 0, removed = 0, unchanged = 0;
    bool rebuilt = false;
    std::string rebuildReason;
    std::vector<Finding> findings; // broken files (every run) and walk problems
    double seconds = 0;
};

// Process-wide settings the index writers rely on (Xapian reads them from the environment).
// Call once at program start, before any thread exists: setenv races with every getenv.
void applyIndexWriterSettings();

// Brings `<root>/.kb` to exactly what the files say: re-reads only files whose mtime or
// size changed, drops documents of deleted files, rebuilds from scratch when asked, when
// there is no index, or when the stored signature (schemas, analysis, vocabularies)
// differs. Commits in batches sized by text volume; a kill at any point leaves the last
// commit, which the next run completes. False with a message on a lock timeout or an
// I/O or Xapian error.
bool syncIndex(const KbRoot &root, const IndexSchema &schema, const SyncOptions &options,
               SyncReport *report, std::string *error);

// A digest of every Markdown file's path, size and modification time under the root. The
// last sync stores the digest of what it indexed; the same digest now means nothing
// changed since, found by a scan alone, with no index writer and no lock.
std::string scanDigest(const KbRoot &root);

// Re-indexes the given files right after kb wrote them (or drops them if gone). Does
// nothing when there is no index yet. When the index was built with another mapping than
// `schema`, falls back to a full sync, or, without `rebuildWhenStale`, leaves the index to
// whoever owns rebuilds (kb serve's watcher) and does nothing.
bool updateIndexedFiles(const KbRoot &root, const IndexSchema &schema,
                        const std::vector<std::string> &relPaths, int lockTimeoutMs,
                        std::string *error, bool rebuildWhenStale = true);

} // namespace kb::search
