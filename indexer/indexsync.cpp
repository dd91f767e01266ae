#include "indexer/indexsync.h"

#include "core/store.h"
#include "indexer/documentbuilder.h"
#include "indexer/facetcodes.h"
#include "indexer/impactweight.h"
#include "indexer/indexlocation.h"
#include "indexer/indexschema.h"
#include "indexer/spelling.h"
#include "indexer/storeddata.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace kb::search {

namespace {

// Commit after this much analysed text or this many documents, whichever comes first:
// Xapian's own threshold counts documents only, and big documents then blow memory.
// Measured on the 10k bench corpus (bench/RESULTS.md): 24 MB batches took 10.4 s and
// 498 MB peak RSS, 2 MB 8.1 s / 109 MB, 1 MB 6.1 s / 65 MB; small batches keep Xapian's
// in-memory inverter small and fast.
constexpr std::size_t kFlushBytes = 1u << 20;
constexpr std::size_t kFlushDocs = 20000;
// Below this many files a rebuild is quick anyway; shards and compaction cost more.
constexpr std::size_t kShardedRebuildFrom = 2000;

struct Indexed {
    std::string path;
    Xapian::docid docid = 0;
    std::string signature;
};

// Path, docid and change signature of every document, sorted by path: two value streams
// read in docid order side by side (no per-document lookups, no hashing).
std::vector<Indexed> indexedFiles(const Xapian::Database &db)
{
    std::vector<Indexed> out;
    out.reserve(db.get_doccount());
    auto sig = db.valuestream_begin(kSlotSignature);
    for (auto it = db.valuestream_begin(kSlotPath); it != db.valuestream_end(kSlotPath); ++it) {
        Indexed entry{*it, it.get_docid(), {}};
        if (sig != db.valuestream_end(kSlotSignature) && sig.get_docid() < entry.docid)
            sig.skip_to(entry.docid);
        if (sig != db.valuestream_end(kSlotSignature) && sig.get_docid() == entry.docid)
            entry.signature = *sig;
        out.push_back(std::move(entry));
    }
    std::sort(out.begin(), out.end(),
              [](const Indexed &a, const Indexed &b) { return a.path < b.path; });
    return out;
}

// Files changed within this window of the run may change again within the timestamp
// granularity unseen; they are stored with a signature that forces a re-read next time.
bool racilyClean(const FileEntry &f, std::int64_t runStartNs)
{
    return f.mtimeNs >= runStartNs - 100'000'000LL;
}

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;

std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes)
{
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

// FNV-1a over the path and signature (mtime, size) of each file, in path order.
std::string digestOf(const std::vector<FileEntry> &files)
{
    std::uint64_t h = kFnvOffset;
    const auto mix = [&h](std::string_view bytes) {
        h = fnv1a(fnv1a(h, bytes), "\xFF"); // 0xFF separates the fields
    };
    for (const FileEntry &f : files) {
        mix(f.path);
        mix(fileSignature(f));
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return std::to_string(files.size()) + "-" + hex;
}

// Puts a rebuild's files in an order drawn from a hash of their paths. Docids follow the
// order files are added, and the counting pass samples runs of consecutive docids
// (DocidSample): numbered folder by folder, a run would be 256 files of one folder, and
// the type and year facets of a sample would swing with the runs it happened to hit.
void shuffleForSampling(std::vector<FileEntry> &files)
{
    const auto hashOf = [](const std::string &path) {
        const std::uint64_t h = fnv1a(kFnvOffset, path);
        return h ^ (h >> 29);
    };
    std::vector<std::pair<std::uint64_t, std::size_t>> keys;
    keys.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i)
        keys.emplace_back(hashOf(files[i].path), i);
    std::sort(keys.begin(), keys.end());
    std::vector<FileEntry> shuffled;
    shuffled.reserve(files.size());
    for (const auto &key : keys)
        shuffled.push_back(std::move(files[key.second]));
    files = std::move(shuffled);
}

void fsyncTree(const std::string &dir)
{
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Analysis runs on worker threads, ahead of the single writer by a bounded window, and
// hands documents over in file order.
class Pipeline {
public:
    Pipeline(const KbRoot &root, const IndexSchema &schema, const std::vector<FileEntry> &work,
             int threads)
        : root_(root), schema_(schema), work_(work), ring_(kWindow)
    {
        if (work_.size() < 32)
            threads = 0; // not worth the threads
        for (int t = 0; t < threads; ++t)
            workers_.emplace_back([this] { run(); });
    }
    ~Pipeline()
    {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        space_.notify_all();
        for (auto &w : workers_)
            w.join();
    }

    BuiltDocument take(std::size_t i)
    {
        if (workers_.empty())
            return build(i);
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return ring_[i % kWindow].has_value(); });
        BuiltDocument d = std::move(*ring_[i % kWindow]);
        ring_[i % kWindow].reset();
        consumed_ = i + 1;
        lock.unlock();
        space_.notify_all();
        return d;
    }

private:
    static constexpr std::size_t kWindow = 512;

    BuiltDocument build(std::size_t i)
    {
        try {
            return buildDocument(root_, schema_, work_[i]);
        } catch (const Xapian::Error &e) {
            BuiltDocument d;
            d.path = work_[i].path;
            d.findings.push_back({work_[i].path, 0, {}, "cannot index: " + e.get_msg(), false});
            d.doc.add_boolean_term(pathTerm(work_[i].path));
            d.doc.add_value(kSlotPath, work_[i].path);
            return d;
        }
    }

    void run()
    {
        for (;;) {
            const std::size_t i = next_++;
            if (i >= work_.size())
                return;
            {
                std::unique_lock lock(mutex_);
                space_.wait(lock, [&] { return stop_ || i < consumed_ + kWindow; });
                if (stop_)
                    return;
            }
            BuiltDocument d = build(i);
            {
                std::lock_guard lock(mutex_);
                ring_[i % kWindow] = std::move(d);
            }
            ready_.notify_all();
        }
    }

    const KbRoot &root_;
    const IndexSchema &schema_;
    const std::vector<FileEntry> &work_;
    std::vector<std::optional<BuiltDocument>> ring_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable ready_, space_;
    std::atomic<std::size_t> next_{0};
    std::size_t consumed_ = 0;
    bool stop_ = false;
};

// The last steps before a document is written: facet codes and BM25 impacts.
void finishDocument(BuiltDocument &d, FacetCodes &codes, double referenceLength)
{
    d.doc.add_value(kSlotFacets, codes.encode(d.doc.get_value(kSlotFacets)));
    storeImpacts(d.doc, referenceLength);
}

// A rebuild's reference length: the mean length of up to ReferenceLength::kSample
// documents spread evenly over the files (analysed twice; a tenth of a second for a large
// root).
ReferenceLength sampleReferenceLength(const KbRoot &root, const IndexSchema &schema,
                                      const std::vector<FileEntry> &work)
{
    std::vector<double> lengths;
    const std::size_t step = std::max<std::size_t>(1, work.size() / ReferenceLength::kSample);
    for (std::size_t i = 0; i < work.size() && lengths.size() < ReferenceLength::kSample;
         i += step) {
        try {
            lengths.push_back(documentLength(buildDocument(root, schema, work[i]).doc));
        } catch (const Xapian::Error &) {
            // the real pass reports it
        }
    }
    return ReferenceLength::of(lengths);
}

// The reference length an index was built with; unknown (length 0) when it has none
// (built before impacts were stored, or damaged) or it was measured on far fewer records
// than the index holds now: either way the index is rebuilt.
ReferenceLength usableReferenceLength(const Xapian::Database &db)
{
    const ReferenceLength stored =
        ReferenceLength::parse(db.get_metadata(kReferenceLengthMetadataKey));
    return stored.outgrown(db.get_doccount()) ? ReferenceLength{} : stored;
}

// A full rebuild on several cores: each thread analyses and writes its own slice of the
// files into a shard database (Xapian writes are single-threaded per database), then the
// shards are compacted into the final one, which also leaves it compact on disk (the
// approach of Recoll's parallel rebuild).
void buildInShards(const KbRoot &root, const IndexSchema &schema,
                   const std::vector<FileEntry> &work, int shards, const std::string &dbDir,
                   std::int64_t runStartNs, const SyncOptions &options, FacetCodes &codes,
                   double referenceLength)
{
    std::vector<std::string> dirs;
    std::vector<std::thread> threads;
    std::atomic<std::size_t> done{0};
    std::atomic<bool> failed{false};
    std::mutex errorMutex;
    std::string failure; // the first shard's error, under errorMutex
    for (int s = 0; s < shards; ++s) {
        dirs.push_back(dbDir + "-shard" + std::to_string(s));
        const std::size_t from = work.size() * std::size_t(s) / std::size_t(shards);
        const std::size_t to = work.size() * std::size_t(s + 1) / std::size_t(shards);
        threads.emplace_back([&, from, to, dir = dirs.back()] {
            try {
                Xapian::WritableDatabase db(dir,
                                            Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
                std::size_t pendingBytes = 0;
                for (std::size_t i = from; i < to; ++i) {
                    BuiltDocument d = buildDocument(root, schema, work[i]);
                    if (racilyClean(work[i], runStartNs))
                        d.doc.add_value(kSlotSignature, "0:" + std::to_string(work[i].size));
                    finishDocument(d, codes, referenceLength);
                    addSpellings(db, d.doc);
                    db.add_document(d.doc);
                    pendingBytes += d.textBytes;
                    if (pendingBytes >= kFlushBytes / std::size_t(shards)) {
                        db.commit();
                        pendingBytes = 0;
                    }
                    ++done;
                }
                db.commit();
            } catch (const Xapian::Error &e) {
                std::lock_guard lock(errorMutex);
                if (failure.empty())
                    failure = e.get_description();
                failed = true;
            } catch (const std::exception &e) { // bad_alloc, a filesystem error
                std::lock_guard lock(errorMutex);
                if (failure.empty())
                    failure = e.what();
                failed = true;
            }
        });
    }
    while (done < work.size() && !failed) {
        if (options.progress)
            options.progress(done, work.size());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto &t : threads)
        t.join();
    if (failed)
        throw Xapian::DatabaseError("building a shard failed: " + failure);
    if (options.progress)
        options.progress(work.size(), work.size());
    Xapian::Database all;
    for (const std::string &dir : dirs)
        all.add_database(Xapian::Database(dir));
    all.compact(dbDir);
    std::error_code ec;
    for (const std::string &dir : dirs)
        fs::remove_all(dir, ec);
}

void collectBrokenFindings(const Xapian::Database &db, std::vector<Finding> &out)
{
    for (auto it = db.postlist_begin(kBrokenTerm); it != db.postlist_end(kBrokenTerm); ++it) {
        const StoredData data = StoredData::unpack(db.get_document(*it).get_data());
        const std::string message = data.get(kErrorKey);
        std::size_t start = 0;
        while (start < message.size()) {
            std::size_t end = message.find('\n', start);
            if (end == std::string::npos)
                end = message.size();
            // Stored as "path:line: message"; keep it whole as the message.
            out.push_back({{}, 0, {}, message.substr(start, end - start), false});
            start = end + 1;
        }
    }
}

} // namespace

void applyIndexWriterSettings()
{
    // Our own commits decide when to flush.
    ::setenv("XAPIAN_FLUSH_THRESHOLD", "1000000", 1);
}

bool syncIndex(const KbRoot &root, const IndexSchema &schema, const SyncOptions &options,
               SyncReport *report, std::string *error)
{
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t runStartNs = nowNs();
    IndexLocation where(root.dir);
    IndexLock lock;
    if (!lock.acquire(where, options.lockTimeoutMs, options.onLockWait, error))
        return false;
    // Under the lock no other writer is at work: any database folder but the live one
    // (a killed rebuild's, or its shards) is a leftover.
    where.removeStale();
    try {
        std::string dbDir = where.current();
        bool rebuild = options.rebuild || dbDir.empty();
        report->rebuildReason = options.rebuild ? "asked for" : dbDir.empty() ? "no index yet" : "";
        std::optional<Xapian::WritableDatabase> db;
        ReferenceLength reference; // the open index's, or measured below for a rebuild
        if (!rebuild) {
            try {
                db.emplace(dbDir, Xapian::DB_OPEN);
                if (const std::string stored = db->get_metadata(kSignatureMetadataKey);
                    stored != schema.signature()) {
                    rebuild = true;
                    const std::string format = stored.substr(0, stored.find('|'));
                    report->rebuildReason =
                        format != kIndexFormat
                            ? "the index was written in format '" + format + "', this kb writes '" +
                                  kIndexFormat + "'"
                            : "the index was built with other schemas, vocabularies or "
                              "analysis settings";
                } else {
                    reference = usableReferenceLength(*db);
                    if (reference.length == 0) {
                        rebuild = true;
                        report->rebuildReason = "the index's ranking calibration is missing or "
                                                "was measured on far fewer records";
                    }
                }
            } catch (const Xapian::DatabaseError &e) {
                rebuild = true;
                report->rebuildReason = "the index could not be opened (" + e.get_msg() + ")";
            }
        }
        ScanResult scan = scanMarkdownFiles(root);
        report->findings = scan.findings;
        // The calibration must fit the root as it will be after this sync, not as it was:
        // 30 records added to an index made empty were otherwise weighed as if alone, and
        // only a later sync (by luck, a search of racily clean files) recalibrated.
        if (!rebuild && reference.outgrown(scan.files.size())) {
            rebuild = true;
            report->rebuildReason = "the root grew well past the records its ranking was "
                                    "calibrated on";
        }
        if (rebuild) {
            db.reset();
            where.removeStale();
            dbDir = where.newDatabaseDir();
            db.emplace(dbDir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
        }
        report->rebuilt = rebuild;
        FacetCodes codes = FacetCodes::deserialize(db->get_metadata(kFacetCodesMetadataKey));

        const std::vector<Indexed> indexed = rebuild ? std::vector<Indexed>{} : indexedFiles(*db);

        // Both lists are sorted by path: one merge finds new, changed and deleted files.
        std::vector<FileEntry> work;
        std::vector<bool> isUpdate;
        std::size_t k = 0;
        for (const FileEntry &f : scan.files) {
            while (k < indexed.size() && indexed[k].path < f.path) {
                removeSpellings(*db, db->get_document(indexed[k].docid));
                db->delete_document(indexed[k++].docid);
                ++report->removed;
            }
            if (k < indexed.size() && indexed[k].path == f.path) {
                const bool same = indexed[k++].signature == fileSignature(f);
                if (same) {
                    ++report->unchanged;
                    continue;
                }
                isUpdate.push_back(true);
            } else {
                isUpdate.push_back(false);
            }
            work.push_back(f);
        }
        for (; k < indexed.size(); ++k) {
            removeSpellings(*db, db->get_document(indexed[k].docid));
            db->delete_document(indexed[k].docid);
            ++report->removed;
        }

        if (rebuild) {
            shuffleForSampling(work); // every isUpdate is false: nothing was indexed
            reference = sampleReferenceLength(root, schema, work);
        }
        const double referenceLength = reference.length;
        int threads = options.threads > 0 ? options.threads
                                          : int(std::max(1u, std::thread::hardware_concurrency()));
        if (rebuild && threads > 1 && work.size() >= kShardedRebuildFrom) {
            db->close();
            db.reset();
            fs::remove_all(dbDir);
            buildInShards(root, schema, work, threads, dbDir, runStartNs, options, codes,
                          referenceLength);
            report->added = work.size();
            db.emplace(dbDir, Xapian::DB_OPEN);
            work.clear();
        }
        Pipeline pipeline(root, schema, work, threads);
        std::size_t pendingBytes = 0, pendingDocs = 0;
        for (std::size_t i = 0; i < work.size(); ++i) {
            BuiltDocument d = pipeline.take(i);
            if (racilyClean(work[i], runStartNs))
                d.doc.add_value(kSlotSignature, "0:" + std::to_string(work[i].size));
            finishDocument(d, codes, referenceLength);
            if (!rebuild)
                removeSpellingsOf(*db, pathTerm(d.path));
            addSpellings(*db, d.doc);
            if (rebuild)
                db->add_document(d.doc);
            else
                db->replace_document(pathTerm(d.path), d.doc);
            ++(isUpdate[i] ? report->updated : report->added);
            pendingBytes += d.textBytes;
            if (++pendingDocs >= kFlushDocs || pendingBytes >= kFlushBytes) {
                db->set_metadata(kFacetCodesMetadataKey, codes.serialize());
                db->commit();
                pendingBytes = pendingDocs = 0;
            }
            if (options.progress && (i % 64 == 0 || i + 1 == work.size()))
                options.progress(i + 1, work.size());
        }
        db->set_metadata(kSignatureMetadataKey, schema.signature());
        db->set_metadata(kReferenceLengthMetadataKey, reference.serialize());
        db->set_metadata(kFacetCodesMetadataKey, codes.serialize());
        // No digest while a file is racily clean: the next search must sync to re-read it.
        const bool racy =
            std::any_of(scan.files.begin(), scan.files.end(),
                        [&](const FileEntry &f) { return racilyClean(f, runStartNs); });
        db->set_metadata(kScanDigestMetadataKey, racy ? std::string() : digestOf(scan.files));
        db->commit();
        collectBrokenFindings(*db, report->findings);
        db->close();
        if (rebuild) {
            fsyncTree(dbDir);
            if (!where.setCurrent(dbDir, error))
                return false;
            where.removeStale();
        }
    } catch (const Xapian::Error &e) {
        *error = "indexing failed: " + e.get_description();
        return false;
    }
    report->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return true;
}

std::string scanDigest(const KbRoot &root)
{
    return digestOf(scanMarkdownFiles(root).files);
}

bool updateIndexedFiles(const KbRoot &root, const IndexSchema &schema,
                        const std::vector<std::string> &relPaths, int lockTimeoutMs,
                        std::string *error, bool rebuildWhenStale)
{
    IndexLocation where(root.dir);
    if (where.current().empty())
        return true; // no index yet: the first search builds it
    IndexLock lock;
    if (!lock.acquire(where, lockTimeoutMs, nullptr, error))
        return false;
    try {
        Xapian::WritableDatabase db(where.current(), Xapian::DB_OPEN);
        const double referenceLength = usableReferenceLength(db).length;
        if (db.get_metadata(kSignatureMetadataKey) != schema.signature() || referenceLength == 0) {
            db.close();
            lock.release();
            if (!rebuildWhenStale)
                return true; // checked under the lock: the owner's mapping stays
            SyncOptions options;
            options.lockTimeoutMs = lockTimeoutMs;
            SyncReport report;
            return syncIndex(root, schema, options, &report, error);
        }
        const std::int64_t runStartNs = nowNs();
        FacetCodes codes = FacetCodes::deserialize(db.get_metadata(kFacetCodesMetadataKey));
        for (const std::string &path : relPaths) {
            struct stat st {};
            const std::string abs = root.dir + "/" + path;
            if (::stat(abs.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
                removeSpellingsOf(db, pathTerm(path));
                db.delete_document(pathTerm(path));
                continue;
            }
            FileEntry f{path,
                        std::int64_t(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec,
                        std::int64_t(st.st_size)};
            BuiltDocument d = buildDocument(root, schema, f);
            if (racilyClean(f, runStartNs))
                d.doc.add_value(kSlotSignature, "0:" + std::to_string(f.size));
            finishDocument(d, codes, referenceLength);
            removeSpellingsOf(db, pathTerm(path));
            addSpellings(db, d.doc);
            db.replace_document(pathTerm(path), d.doc);
        }
        db.set_metadata(kFacetCodesMetadataKey, codes.serialize());
        db.commit();
    } catch (const Xapian::Error &e) {
        *error = "index update failed: " + e.get_description() + "; run kb index";
        return false;
    }
    return true;
}

} // namespace kb::search
