// kb-eval: search quality on the judged query set. Copies content/ and the fixtures into
// a temporary root, indexes it with the real `kb`, runs every query through
// `kb search --json --limit 10`, and prints nDCG@10, MRR@10 and Recall@10 per kind and
// overall, beside a literal-grep baseline (files containing the query text, as
// `grep -rilF`, most occurrences first).
#include "record.h"
#include "store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Judged {
    std::string kind, query;
    std::map<std::string, int> rel;
};

struct Scores {
    double ndcg = 0, mrr = 0, recall = 0;
    int n = 0;
    void add(const Scores &s)
    {
        ndcg += s.ndcg;
        mrr += s.mrr;
        recall += s.recall;
        n += s.n;
    }
};

std::string run(const std::vector<std::string> &argv, int *status)
{
    int out[2];
    if (::pipe(out) != 0)
        return {};
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char *> args;
        for (const auto &a : argv)
            args.push_back(const_cast<char *>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(out[1]);
    std::string text;
    char buf[65536];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;)
        text.append(buf, std::size_t(n));
    ::close(out[0]);
    ::waitpid(pid, status, 0);
    return text;
}

Scores score(const std::vector<std::string> &ranked, const std::map<std::string, int> &rel)
{
    Scores s;
    s.n = 1;
    double dcg = 0, ideal = 0;
    std::vector<int> grades;
    int relevant = 0, found = 0;
    for (const auto &[id, g] : rel)
        if (g > 0) {
            grades.push_back(g);
            ++relevant;
        }
    std::sort(grades.rbegin(), grades.rend());
    for (std::size_t i = 0; i < grades.size() && i < 10; ++i)
        ideal += (std::pow(2.0, grades[i]) - 1) / std::log2(double(i) + 2);
    for (std::size_t i = 0; i < ranked.size() && i < 10; ++i) {
        auto it = rel.find(ranked[i]);
        const int g = it == rel.end() ? 0 : it->second;
        if (g > 0) {
            dcg += (std::pow(2.0, g) - 1) / std::log2(double(i) + 2);
            ++found;
            if (s.mrr == 0)
                s.mrr = 1.0 / double(i + 1);
        }
    }
    s.ndcg = ideal > 0 ? dcg / ideal : 0;
    s.recall = relevant ? double(found) / std::min(relevant, 10) : 0;
    return s;
}

std::string lower(std::string s)
{
    for (char &c : s)
        if (c >= 'A' && c <= 'Z')
            c = char(c + 32);
    return s;
}

// The text a user would hand to grep: field filters and quotes dropped.
std::string literalOf(const std::string &query)
{
    std::istringstream in(query);
    std::string word, out;
    while (in >> word) {
        const auto colon = word.find(':');
        if (colon != std::string::npos && colon > 0 &&
            std::all_of(word.begin(), word.begin() + long(colon),
                        [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; }))
            continue;
        word.erase(std::remove(word.begin(), word.end(), '"'), word.end());
        out += (out.empty() ? "" : " ") + word;
    }
    return lower(out);
}

struct File {
    std::string id, text;
};

std::vector<std::string> grepRank(const std::vector<File> &files, const std::string &query)
{
    const std::string needle = literalOf(query);
    std::vector<std::pair<int, std::string>> hits;
    if (needle.empty())
        return {};
    for (const File &f : files) {
        int count = 0;
        for (std::size_t p = f.text.find(needle); p != std::string::npos;
             p = f.text.find(needle, p + 1))
            ++count;
        if (count)
            hits.emplace_back(-count, f.id);
    }
    std::sort(hits.begin(), hits.end());
    std::vector<std::string> ids;
    for (const auto &h : hits)
        ids.push_back(h.second);
    return ids;
}

void line(const char *kind, const Scores &k, const Scores &g)
{
    auto avg = [](double v, int n) { return n ? v / n : 0.0; };
    std::printf("%-15s %3d   %5.3f %5.3f %5.3f   %5.3f %5.3f %5.3f\n", kind, k.n, avg(k.ndcg, k.n),
                avg(k.mrr, k.n), avg(k.recall, k.n), avg(g.ndcg, g.n), avg(g.mrr, g.n),
                avg(g.recall, g.n));
}

} // namespace

int main(int argc, char **argv)
{
    std::string kb = KB_EXE, content = KB_SOURCE_DIR "/content",
                fixtures = KB_SOURCE_DIR "/bench/quality/fixtures",
                queries = KB_SOURCE_DIR "/bench/quality/queries.yaml";
    double minNdcg = 0, minKind = 0;
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--kb")
            kb = next();
        else if (a == "--content")
            content = next();
        else if (a == "--fixtures")
            fixtures = next();
        else if (a == "--queries")
            queries = next();
        else if (a == "--min-ndcg")
            minNdcg = std::atof(next().c_str());
        else if (a == "--min-kind")
            minKind = std::atof(next().c_str());
        else if (a == "-v" || a == "--verbose")
            verbose = true;
        else {
            std::fprintf(stderr, "usage: kb-eval [--kb PATH] [--content DIR] [--fixtures DIR] "
                                 "[--queries FILE] [--min-ndcg X] [--min-kind X] [-v]\n");
            return 2;
        }
    }
    std::vector<Judged> set;
    try {
        for (const YAML::Node &n : YAML::LoadFile(queries)) {
            Judged j{n["kind"].as<std::string>(), n["q"].as<std::string>(), {}};
            for (const auto &r : n["rel"])
                j.rel[r.first.as<std::string>()] = r.second.as<int>();
            set.push_back(j);
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "kb-eval: %s: %s\n", queries.c_str(), e.what());
        return 2;
    }

    char tmpl[] = "/tmp/kb-eval-XXXXXX";
    const std::string root = ::mkdtemp(tmpl);
    fs::copy(content, root, fs::copy_options::recursive);
    fs::remove_all(root + "/.kb");
    if (!fixtures.empty() && fs::exists(fixtures))
        fs::copy(fixtures, root + "/fixtures", fs::copy_options::recursive);
    int status = 0;
    run({kb, "--root", root, "index"}, &status);
    if (status != 0) {
        std::fprintf(stderr, "kb-eval: kb index failed\n");
        return 2;
    }

    std::vector<File> files;
    kb::KbRoot kbRoot;
    kbRoot.dir = root;
    for (const kb::FileEntry &f : kb::scanMarkdownFiles(kbRoot).files) {
        kb::ParseResult p = kb::loadRecordFile(kbRoot, f.path);
        if (p.record)
            files.push_back({kb::Store::effectiveId(*p.record), lower(p.record->text)});
    }

    std::map<std::string, Scores> kbByKind, grepByKind;
    Scores kbAll, grepAll;
    for (const Judged &j : set) {
        const std::string out =
            run({kb, "--root", root, "search", "--json", "--limit", "10", "--", j.query}, &status);
        std::vector<std::string> ranked;
        for (const auto &h :
             QJsonDocument::fromJson(QByteArray::fromStdString(out)).object()["hits"].toArray())
            ranked.push_back(h.toObject()["id"].toString().toStdString());
        const Scores k = score(ranked, j.rel), g = score(grepRank(files, j.query), j.rel);
        kbByKind[j.kind].add(k);
        grepByKind[j.kind].add(g);
        kbAll.add(k);
        grepAll.add(g);
        if (verbose) {
            std::printf("%-14s %.3f (grep %.3f)  %s  ->", j.kind.c_str(), k.ndcg, g.ndcg,
                        j.query.c_str());
            for (std::size_t i = 0; i < ranked.size() && i < 5; ++i)
                std::printf(" %s%s", ranked[i].c_str(), j.rel.count(ranked[i]) ? "*" : "");
            std::printf("\n");
        }
    }
    fs::remove_all(root);

    std::printf("%zu judged queries over %zu records\n\n", set.size(), files.size());
    std::printf("%-15s %3s   %-17s   %-17s\n", "", "", "kb search", "literal grep");
    std::printf("%-15s %3s   %5s %5s %5s   %5s %5s %5s\n", "kind", "n", "nDCG", "MRR", "Rec",
                "nDCG", "MRR", "Rec");
    bool ok = kbAll.n > 0 && kbAll.ndcg / kbAll.n >= minNdcg;
    for (const auto &[kind, s] : kbByKind) {
        line(kind.c_str(), s, grepByKind[kind]);
        if (s.ndcg / s.n < minKind)
            ok = false;
    }
    line("overall", kbAll, grepAll);
    if (!ok) {
        std::printf("\nbelow target: overall nDCG@10 must be >= %.2f and every kind >= %.2f\n",
                    minNdcg, minKind);
        return 1;
    }
    return 0;
}
