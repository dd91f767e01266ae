// kb-bench: speed of indexing and search on a corpus folder (made by kb-gencorpus), all
// measured in one run and printed as a Markdown table:
//   - full rebuild by `kb index --rebuild` (docs/s, MB/s, peak RSS), beside a plain Xapian
//     loop (TermGenerator with CJK n-grams + add_document, one thread) on the same text;
//   - `kb index` with nothing changed, and with one file changed;
//   - in-process query latency (p50/p99) with snippets and facets;
//   - whole-process `kb search` time, beside `rg -l -F` on the same folder.
#include "core/store.h"
#include "indexer/indexschema.h"
#include "indexer/lexicon.h"
#include "indexer/searcher.h"
#include "services/session.h"

#include <xapian.h>

#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct ChildRun {
    double seconds = 0;
    long maxRssKb = 0;
    int status = -1;
};

// posix_spawn, not fork: a forked child counts the parent's pages in its peak RSS until
// it execs, and copying a large parent's page tables inflates the timings.
ChildRun runChild(const std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    ChildRun r;
    const auto start = Clock::now();
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return r;
    }
    struct rusage ru {};
    ::wait4(pid, &r.status, 0, &ru);
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    r.maxRssKb = ru.ru_maxrss;
    posix_spawn_file_actions_destroy(&actions);
    return r;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    if (v.empty())
        return 0;
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

// The plain loop a developer would write first: one thread, Xapian's own CJK n-grams.
double plainXapianLoop(const std::string &root, const std::vector<kb::FileEntry> &files,
                       const std::string &dbDir)
{
    const auto start = Clock::now();
    Xapian::WritableDatabase db(dbDir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    for (const kb::FileEntry &f : files) {
        std::ifstream in(root + "/" + f.path);
        std::stringstream ss;
        ss << in.rdbuf();
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(ss.str());
        doc.add_boolean_term("P" + f.path);
        doc.set_data(ss.str());
        db.add_document(doc);
    }
    db.commit();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

const std::vector<std::string> kDefaultQueries = {
    "割接",
    "投诉",
    "回退演练",
    "客户投诉以后怎样跟进",
    "cutover",
    "spare parts",
    "rollback drill",
    "5G 割接",
    "type:lesson 割接",
    "customer:马电 投诉",
    "OLT-2000",
    "date:2015..2020 培训",
    "status:closed",
    "\"全量配置比对\"",
    "割接 OR 回退",
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::string corpus, kb = KB_EXE;
    int runs = 20;
    bool queriesOnly = false;
    std::vector<std::string> queries;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--corpus")
            corpus = next();
        else if (a == "--kb")
            kb = next();
        else if (a == "--runs")
            runs = std::atoi(next().c_str());
        else if (a == "--queries-only")
            queriesOnly = true; // reuse the index, skip the indexing measurements
        else if (a == "--query")
            queries.push_back(next()); // measure these instead of the built-in mix
    }
    if (queries.empty())
        queries = kDefaultQueries;
    if (corpus.empty()) {
        std::fprintf(stderr, "usage: kb-bench --corpus DIR [--kb PATH] [--runs N] [--queries-only] "
                             "[--query Q]...\n");
        return 2;
    }
    corpus = fs::absolute(corpus).string();
    kb::KbRoot root;
    root.dir = corpus;
    const std::vector<kb::FileEntry> files = kb::scanMarkdownFiles(root).files;
    double mb = 0;
    for (const auto &f : files)
        mb += double(f.size) / 1e6;
    std::printf("corpus: %s, %zu files, %.1f MB\n\n", corpus.c_str(), files.size(), mb);

    // kb first, while this process is small: a spawned child shares our memory until it
    // execs, and that would count in its peak RSS.
    ChildRun full, same;
    double plain = 0, oneMedian = 0, oneMax = 0;
    if (queriesOnly) {
        runChild({kb, "--root", corpus, "index"}); // bring the index up to date only
    } else {
        full = runChild({kb, "--root", corpus, "index", "--rebuild"});
        const std::string plainDir = corpus + "/.kb-plain";
        plain = plainXapianLoop(corpus, files, plainDir);
        fs::remove_all(plainDir);
        same = runChild({kb, "--root", corpus, "index"});
        // One file changed, five times over (a single run on a shared machine is noise):
        // let the "recently changed" window pass, change a file, index; the median counts.
        std::vector<double> oneTimes;
        for (int i = 0; i < 5; ++i) {
            ::usleep(1'100'000);
            runChild({kb, "--root", corpus, "index"});
            std::ofstream(corpus + "/" + files[files.size() / 2 + std::size_t(i)].path,
                          std::ios::app)
                << "\nAppended by kb-bench: 割接 benchmark line.\n";
            oneTimes.push_back(runChild({kb, "--root", corpus, "index"}).seconds);
        }
        oneMedian = median(oneTimes);
        oneMax = *std::max_element(oneTimes.begin(), oneTimes.end());
    }

    // In-process queries.
    kb::Session session(corpus, fs::path(kb).parent_path().string());
    session.explicitRoot = corpus;
    std::string error;
    session.openRoot(&error);
    // Both ways a search runs: a searcher as the CLI makes one, and one as kb serve keeps
    // (posting lists decoded once and kept in memory).
    struct Latencies {
        std::vector<double> all;
        double p50() const { return percentile(all, 0.5); }
        double p99() const { return percentile(all, 0.99); }
        double mean() const
        {
            double sum = 0;
            for (double ms : all)
                sum += ms;
            return sum / double(std::max<std::size_t>(1, all.size()));
        }
    };
    kb::search::SearchOptions options; // top 10, snippets and facets
    options.facets = std::getenv("KB_BENCH_NOFACETS") == nullptr;
    auto measure = [&](bool serving, Latencies *out) {
        kb::search::Searcher searcher(session.root(), session.indexSchema(), session.lexicon());
        if (serving)
            searcher.keepPostingsInMemory();
        if (!searcher.open(&error)) {
            std::fprintf(stderr, "kb-bench: %s\n", error.c_str());
            return false;
        }
        for (const auto &q : queries)
            searcher.search(q, options); // warm
        std::vector<std::vector<double>> perQuery(queries.size());
        for (int r = 0; r < runs; ++r)
            for (std::size_t qi = 0; qi < queries.size(); ++qi) {
                const auto t0 = Clock::now();
                searcher.search(queries[qi], options);
                const double ms =
                    std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                out->all.push_back(ms);
                perQuery[qi].push_back(ms);
            }
        if (std::getenv("KB_BENCH_VERBOSE"))
            for (std::size_t qi = 0; qi < queries.size(); ++qi)
                std::fprintf(stderr, "%8.2f ms  %s%s\n", median(perQuery[qi]), queries[qi].c_str(),
                             serving ? "  (serving)" : "");
        return true;
    };
    Latencies oneOff, serving;
    if (!measure(false, &oneOff) || !measure(true, &serving))
        return 1;

    // Whole process, beside ripgrep.
    std::vector<double> kbTimes, rgTimes;
    const std::vector<std::string> wholeQueries = {"割接", "投诉", "cutover", "回退演练"};
    const bool haveRg = runChild({"rg", "--version"}).status == 0;
    for (int r = 0; r < std::max(5, runs / 2); ++r)
        for (const auto &q : wholeQueries) {
            kbTimes.push_back(runChild({kb, "--root", corpus, "search", "--json", q}).seconds *
                              1000);
            if (haveRg)
                rgTimes.push_back(runChild({"rg", "-l", "-F", q, corpus}).seconds * 1000);
        }

    const double n = double(files.size());
    std::printf("| measure | value |\n|---|---|\n");
    if (!queriesOnly) {
        std::printf("| kb index --rebuild | %.2f s, %.0f docs/s, %.2f MB/s |\n", full.seconds,
                    n / full.seconds, mb / full.seconds);
        std::printf("| plain Xapian loop (1 thread) | %.2f s, %.0f docs/s, %.2f MB/s |\n", plain,
                    n / plain, mb / plain);
        std::printf("| kb / plain speed | %.2fx |\n", plain / full.seconds);
        std::printf("| kb index peak RSS | %.0f MB |\n", double(full.maxRssKb) / 1024);
        std::printf("| kb index, nothing changed | %.3f s |\n", same.seconds);
        std::printf("| kb index, one file changed (median of 5; slowest) | %.3f s; %.3f s |\n",
                    oneMedian, oneMax);
    }
    // The mean is what bounds a server's requests per second on busy cores.
    std::printf("| query p50 / p99 / mean in-process (top 10, snippets, facets) | %.2f / %.2f / "
                "%.2f ms |\n",
                oneOff.p50(), oneOff.p99(), oneOff.mean());
    std::printf("| the same, searcher as kb serve keeps it (postings in memory) | %.2f / %.2f / "
                "%.2f ms |\n",
                serving.p50(), serving.p99(), serving.mean());
    std::printf("| kb search whole process (median) | %.1f ms |\n", median(kbTimes));
    if (haveRg)
        std::printf("| rg -l -F whole process (median) | %.1f ms |\n| rg / kb | %.1fx |\n",
                    median(rgTimes), median(rgTimes) / median(kbTimes));
    else
        std::printf("| rg | not installed |\n");
    std::error_code ec;
    std::uintmax_t indexBytes = 0;
    for (const auto &e : fs::recursive_directory_iterator(corpus + "/.kb", ec))
        if (e.is_regular_file())
            indexBytes += e.file_size();
    std::printf("| index size | %.0f MB (%.1fx the text) |\n", double(indexBytes) / 1e6,
                double(indexBytes) / 1e6 / mb);
    return 0;
}
