// kb-eval: search quality on the judged query set. Copies content/ and the fixtures into
// a temporary root, adds never-relevant distractor documents (Debian's Chinese and English
// man pages, rendered to plain Markdown notes), indexes it with the real `kb`, runs every
// query through `kb search --json --limit 10`, and prints nDCG@10, MRR@10 and Recall@10 per
// kind, for the tuning half, the held-out half and overall, beside a literal-grep baseline
// (files containing the query text, as `grep -rilF`, most occurrences first).
#include "core/record.h"
#include "core/store.h"

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
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Judged {
    std::string kind, split, query;
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

// Runs argv (argv[0] looked up on PATH when it has no '/'), returns its standard output.
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
        ::execvp(args[0], args.data());
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

// ---- distractors: man pages rendered to plain Markdown notes ----------------------------

bool validUtf8(const std::string &s)
{
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80         ? 0
                      : (c >> 5) == 6  ? 1
                      : (c >> 4) == 14 ? 2
                      : (c >> 3) == 30 ? 3
                                       : -1;
        if (n < 0 || i + std::size_t(n) >= s.size())
            return false;
        for (int k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + std::size_t(k)]) >> 6) != 2)
                return false;
        i += std::size_t(n) + 1;
    }
    return true;
}

std::string utf8Of(unsigned long cp)
{
    std::string o;
    if (cp < 0x80)
        o += char(cp);
    else if (cp < 0x800) {
        o += char(0xC0 | (cp >> 6));
        o += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        o += char(0xE0 | (cp >> 12));
        o += char(0x80 | ((cp >> 6) & 0x3F));
        o += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x110000) {
        o += char(0xF0 | (cp >> 18));
        o += char(0x80 | ((cp >> 12) & 0x3F));
        o += char(0x80 | ((cp >> 6) & 0x3F));
        o += char(0x80 | (cp & 0x3F));
    }
    return o;
}

// roff special characters (\(xx, \[name]) that carry text; the rest are dropped.
std::string special(const std::string &name)
{
    static const std::map<std::string, std::string> glyphs = {
        {"em", "\u2014"}, {"en", "\u2013"}, {"hy", "-"},      {"bu", "\u2022"}, {"lq", "\u201C"},
        {"rq", "\u201D"}, {"oq", "\u2018"}, {"cq", "\u2019"}, {"aq", "'"},      {"dq", "\""},
        {"co", "\u00A9"}, {"rg", "\u00AE"}, {"tm", "\u2122"}, {"mu", "\u00D7"}, {"di", "\u00F7"},
        {">=", "\u2265"}, {"<=", "\u2264"}, {"!=", "\u2260"}, {"->", "\u2192"}, {"<-", "\u2190"},
        {"ga", "`"},      {"aa", "\u00B4"}, {"ti", "~"},      {"ha", "^"},      {"rs", "\\"},
        {"sl", "/"},      {"ba", "|"},      {"br", "|"},      {"ul", "_"},      {"pl", "+"},
        {"mi", "-"},      {"eq", "="},      {"de", "\u00B0"}, {"+-", "\u00B1"}, {"fm", "\u2032"},
        {"Fo", "\u00AB"}, {"Fc", "\u00BB"}, {"lB", "["},      {"rB", "]"},      {"lC", "{"},
        {"rC", "}"},      {"la", "\u27E8"}, {"ra", "\u27E9"}, {"ss", "\u00DF"}, {"es", "\u2205"}};
    if (auto it = glyphs.find(name); it != glyphs.end())
        return it->second;
    if (name.size() > 1 && name[0] == 'u') {
        char *end = nullptr;
        const unsigned long cp = std::strtoul(name.c_str() + 1, &end, 16);
        if (end && *end == '\0')
            return utf8Of(cp);
    }
    return {};
}

// The name after an escape such as \f, \*, \n, \s: one character, (xx, or [name].
std::string escapeName(const std::string &s, std::size_t *i)
{
    if (*i >= s.size())
        return {};
    if (s[*i] == '(') {
        std::string n = s.substr(*i + 1, 2);
        *i += 2;
        return n;
    }
    if (s[*i] == '[') {
        const std::size_t e = s.find(']', *i);
        std::string n = s.substr(*i + 1, e == std::string::npos ? std::string::npos : e - *i - 1);
        *i = e == std::string::npos ? s.size() : e;
        return n;
    }
    return std::string(1, s[*i]);
}

// Skips a delimited argument such as \w'text' or \h'1n'.
void skipDelimited(const std::string &s, std::size_t *i)
{
    if (*i >= s.size())
        return;
    const char d = s[*i];
    const std::size_t e = s.find(d, *i + 1);
    *i = e == std::string::npos ? s.size() : e;
}

std::string unescape(const std::string &s)
{
    std::string o;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            o += s[i];
            continue;
        }
        if (++i >= s.size())
            break;
        const char e = s[i];
        switch (e) {
        case '"': // comment to the end of the line
        case '#':
            while (!o.empty() && (o.back() == ' ' || o.back() == '\t'))
                o.pop_back();
            return o;
        case 'f':
        case 'F':
        case 'n':
        case 'g':
        case 'k':
        case 'm':
        case 'M':
        case 'V':
        case 'Y':
        case '$':
            ++i;
            escapeName(s, &i);
            break;
        case '*': {
            ++i;
            const std::string n = escapeName(s, &i);
            o += n == "R"    ? "\u00AE"
                 : n == "Tm" ? "\u2122"
                 : n == "lq" ? "\u201C"
                 : n == "rq" ? "\u201D"
                             : "";
            break;
        }
        case 's':
            ++i;
            if (i < s.size() && (s[i] == '+' || s[i] == '-'))
                ++i;
            if (i < s.size() && (s[i] == '(' || s[i] == '['))
                escapeName(s, &i);
            else if (i < s.size() && s[i] == '\'')
                skipDelimited(s, &i);
            else if (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])))
                --i;
            break;
        case '(':
        case '[': {
            const std::string n = escapeName(s, &i);
            o += special(n);
            break;
        }
        case 'h':
        case 'v':
        case 'w':
        case 'l':
        case 'L':
        case 'N':
        case 'D':
        case 'X':
        case 'o':
        case 'b':
        case 'x':
        case 'Z':
        case 'A':
        case 'B':
        case 'C':
        case 'H':
        case 'S':
        case 'R':
            ++i;
            skipDelimited(s, &i);
            break;
        case 'e':
        case 'E':
        case '\\':
            o += '\\';
            break;
        case '-':
            o += '-';
            break;
        case ' ':
        case '~':
        case '0':
        case 't':
            o += ' ';
            break;
        case '\'':
            o += '\'';
            break;
        case '`':
            o += '`';
            break;
        case '.':
            o += '.';
            break;
        case '&':
        case '%':
        case '|':
        case '^':
        case ':':
        case 'c':
        case 'd':
        case 'u':
        case 'r':
        case 'p':
        case 'a':
        case 'z':
        case '{':
        case '}':
        case '/':
        case ',':
        case ')':
            break;
        default:
            o += e;
        }
    }
    return o;
}

// Splits a macro's arguments the way roff does: blanks separate, "double quotes" group.
std::vector<std::string> macroArgs(const std::string &s)
{
    std::vector<std::string> args;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        if (i >= s.size())
            break;
        std::string a;
        if (s[i] == '"') {
            for (++i; i < s.size(); ++i) {
                if (s[i] == '"') {
                    if (i + 1 < s.size() && s[i + 1] == '"') {
                        a += '"';
                        ++i;
                        continue;
                    }
                    ++i;
                    break;
                }
                a += s[i];
            }
        } else {
            while (i < s.size() && s[i] != ' ' && s[i] != '\t')
                a += s[i++];
        }
        args.push_back(a);
    }
    return args;
}

// A small man(7)/mdoc(7) to plain text converter: keeps the words, drops the formatting.
std::string roffToText(const std::string &src)
{
    static const std::set<std::string> paragraph = {"PP", "P",  "LP", "sp", "br", "TP", "HP",
                                                    "RS", "RE", "PD", "Pp", "Bl", "El", "Bd",
                                                    "Ed", "nf", "fi", "EX", "EE", "bp"};
    static const std::set<std::string> joined = {"BR", "BI", "IB", "IR", "RB", "RI"};
    std::istringstream in(src);
    std::string line, out;
    bool inDef = false, inEqn = false, inTableFormat = false, inTable = false;
    auto put = [&](const std::string &s) {
        if (s.empty() &&
            (out.empty() || (out.size() >= 2 && out.compare(out.size() - 2, 2, "\n\n") == 0)))
            return;
        out += s;
        out += '\n';
    };
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (inDef) {
            if (line.rfind("..", 0) == 0)
                inDef = false;
            continue;
        }
        if (inEqn) {
            if (line.rfind(".EN", 0) == 0)
                inEqn = false;
            continue;
        }
        if (inTableFormat) { // the options and format lines end with the one ending in '.'
            std::string t = line;
            while (!t.empty() && (t.back() == ' ' || t.back() == '\t'))
                t.pop_back();
            if (!t.empty() && t.back() == '.')
                inTableFormat = false;
            continue;
        }
        if (!line.empty() && (line[0] == '.' || line[0] == '\'')) {
            std::size_t p = 1;
            while (p < line.size() && (line[p] == ' ' || line[p] == '\t'))
                ++p;
            std::size_t q = p;
            while (q < line.size() && line[q] != ' ' && line[q] != '\t')
                ++q;
            const std::string req = line.substr(p, q - p);
            const std::string rest = q < line.size() ? line.substr(q + 1) : "";
            if (req.empty() || req[0] == '\\')
                continue; // .\" comment, or a bare dot
            if (req == "de" || req == "de1" || req == "am" || req == "ig") {
                inDef = true;
                continue;
            }
            if (req == "EQ") {
                inEqn = true;
                continue;
            }
            if (req == "TS") {
                inTableFormat = inTable = true;
                continue;
            }
            if (req == "TE") {
                inTable = false;
                continue;
            }
            const std::vector<std::string> args = macroArgs(rest);
            auto join = [&](const char *sep) {
                std::string o;
                for (const std::string &a : args)
                    o += (o.empty() ? "" : sep) + unescape(a);
                return o;
            };
            if (req == "SH" || req == "SS" || req == "Sh" || req == "Ss") {
                put("");
                put((req == "SH" || req == "Sh" ? "## " : "### ") + join(" "));
                put("");
            } else if (paragraph.count(req)) {
                put("");
            } else if (req == "IP" || req == "It") {
                put("");
                if (!args.empty() && req == "IP")
                    put(unescape(args[0]));
                else if (!args.empty())
                    put(join(" "));
            } else if (joined.count(req)) {
                put(join(""));
            } else if (req == "B" || req == "I" || req == "SM" || req == "SB" || req == "UR" ||
                       req == "MT" || req == "Nm" || req == "Nd" || req == "Dt") {
                if (!args.empty())
                    put(join(" "));
            } else if (!req.empty() && std::isupper(static_cast<unsigned char>(req[0]))) {
                // other man and mdoc macros: keep the argument words, drop macro names
                std::string o;
                for (const std::string &a : args) {
                    const bool macroName = a.size() >= 2 && a.size() <= 3 &&
                                           std::isupper(static_cast<unsigned char>(a[0])) &&
                                           std::islower(static_cast<unsigned char>(a[1]));
                    if (!macroName)
                        o += (o.empty() ? "" : " ") + unescape(a);
                }
                if (!o.empty())
                    put(o);
            } // lowercase requests (.ft, .in, .if, .ds, .nr, .so, ...) carry no text
            continue;
        }
        if (inTable) {
            std::string t;
            for (std::size_t i = 0; i < line.size(); ++i) {
                if ((line.compare(i, 2, "T{") == 0 || line.compare(i, 2, "T}") == 0)) {
                    ++i;
                    continue;
                }
                t += line[i] == '\t' ? ' ' : line[i];
            }
            line = t;
        }
        put(unescape(line));
    }
    return out;
}

// Cuts at the last line break before `cap` bytes (never inside a UTF-8 sequence).
std::string capText(std::string text, std::size_t cap)
{
    if (text.size() <= cap)
        return text;
    std::size_t cut = text.rfind('\n', cap);
    if (cut == std::string::npos || cut < cap / 2) {
        cut = cap;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) >> 6) == 2)
            --cut;
    }
    text.resize(cut);
    return text + "\n";
}

struct Candidate {
    std::string path, set;
};

// Man pages a Debian package installed, from dpkg's file list (so the set depends on the
// package and its version, not on whatever else the machine has), else from a directory.
std::vector<std::string> manPagesOf(const std::string &package, const std::string &prefix)
{
    std::vector<std::string> pages;
    std::ifstream list("/var/lib/dpkg/info/" + package + ".list");
    for (std::string line; std::getline(list, line);)
        if (line.rfind(prefix, 0) == 0 && line.size() > 3 &&
            line.compare(line.size() - 3, 3, ".gz") == 0 && fs::is_regular_file(line) &&
            !fs::is_symlink(line))
            pages.push_back(line);
    std::sort(pages.begin(), pages.end());
    return pages;
}

std::vector<std::string> filesUnder(const std::string &dir)
{
    std::vector<std::string> files;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return files;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec))
        if (it->is_regular_file() && !it->is_symlink())
            files.push_back(it->path().string());
    std::sort(files.begin(), files.end());
    return files;
}

struct DistractorSet {
    std::string name;    // folder inside the root
    std::string package; // Debian package whose file list names the pages
    std::string prefix;  // path prefix inside that list
    std::size_t count;   // how many to take, evenly spaced over the sorted pages
};

std::string renderPage(const std::string &path, bool useMan)
{
    int status = 0;
    if (useMan) {
        ::setenv("MANWIDTH", "80", 1);
        // some pages send troff into a loop (zh_TW smb.conf.5 with groff 1.22.4): a time limit
        return run({"sh", "-c", "timeout 20 man -l \"$1\" 2>/dev/null | col -b", "sh", path},
                   &status);
    }
    std::string src;
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)
        src = run({"gzip", "-dc", path}, &status);
    else {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        src = ss.str();
    }
    if (!validUtf8(src))
        return {};
    const std::string ext = fs::path(path).extension().string();
    if (ext == ".md" || ext == ".txt")
        return src;
    return roffToText(src);
}

// Writes each usable page as DIR/<set>/<page>.md; returns how many per set.
std::map<std::string, int> writeDistractors(const std::string &root,
                                            const std::vector<DistractorSet> &sets,
                                            const std::vector<std::string> &extraDirs, bool useMan,
                                            std::size_t capBytes, std::vector<std::string> *notes)
{
    std::map<std::string, int> written;
    auto writeOne = [&](const std::string &set, const std::string &path) {
        std::string text = renderPage(path, useMan);
        if (!validUtf8(text) || text.size() < 1024)
            return false; // a .so redirect, an empty page, or not UTF-8
        std::string name = fs::path(path).filename().string();
        if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0)
            name.resize(name.size() - 3);
        for (char &c : name)
            if (c == '/' || c == ' ')
                c = '_';
        const fs::path dir = fs::path(root) / "distractors" / set;
        fs::create_directories(dir);
        std::ofstream out(dir / (name + ".md"), std::ios::binary);
        out << "# " << name << "\n\n" << capText(text, capBytes);
        ++written[set];
        return true;
    };
    for (const DistractorSet &s : sets) {
        std::vector<std::string> pages = manPagesOf(s.package, s.prefix);
        if (pages.empty()) {
            pages = filesUnder(s.prefix);
            if (!pages.empty())
                notes->push_back("distractors " + s.name + ": no dpkg list for " + s.package +
                                 ", took the pages in " + s.prefix + " (set may differ)");
        }
        if (pages.empty()) {
            notes->push_back("distractors " + s.name + ": none (install Debian's " + s.package +
                             ")");
            continue;
        }
        // evenly spaced picks over the sorted list; an unusable pick moves to the next page
        std::size_t next = 0;
        for (std::size_t k = 0; k < s.count && next < pages.size(); ++k) {
            std::size_t i = std::max(next, k * pages.size() / s.count);
            while (i < pages.size() && !writeOne(s.name, pages[i]))
                ++i;
            next = i + 1;
        }
        if (std::size_t(written[s.name]) < s.count)
            notes->push_back("distractors " + s.name + ": " + std::to_string(written[s.name]) +
                             " of " + std::to_string(s.count));
    }
    for (std::size_t d = 0; d < extraDirs.size(); ++d)
        for (const std::string &path : filesUnder(extraDirs[d]))
            writeOne("extra" + std::to_string(d + 1), path);
    return written;
}

// ---- output ----------------------------------------------------------------------------

void line(const char *kind, const Scores &k, const Scores &g)
{
    auto avg = [](double v, int n) { return n ? v / n : 0.0; };
    std::printf("%-15s %3d   %5.3f %5.3f %5.3f   %5.3f %5.3f %5.3f\n", kind, k.n, avg(k.ndcg, k.n),
                avg(k.mrr, k.n), avg(k.recall, k.n), avg(g.ndcg, g.n), avg(g.mrr, g.n),
                avg(g.recall, g.n));
}

struct Result {
    const Judged *j;
    Scores kb, grep;
    std::vector<std::string> ranked;
};

// One table; returns whether it meets the targets.
bool table(const char *title, const std::vector<Result> &results, double minNdcg, double minKind)
{
    std::map<std::string, Scores> kbByKind, grepByKind;
    Scores kbAll, grepAll;
    for (const Result &r : results) {
        kbByKind[r.j->kind].add(r.kb);
        grepByKind[r.j->kind].add(r.grep);
        kbAll.add(r.kb);
        grepAll.add(r.grep);
    }
    std::printf("\n%s\n", title);
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
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    std::string kb = KB_EXE, content = KB_SOURCE_DIR "/content",
                fixtures = KB_SOURCE_DIR "/bench/quality/fixtures",
                queries = KB_SOURCE_DIR "/bench/quality/queries.yaml", split = "all";
    double minNdcg = 0, minKind = 0;
    bool verbose = false, keepRoot = false, noDefaultDistractors = false, useMan = false;
    int worst = 0;
    std::size_t capBytes = 20 * 1024;
    std::vector<std::string> extraDistractors;
    auto usage = [] {
        std::fprintf(
            stderr, "usage: kb-eval [--kb PATH] [--content DIR] [--fixtures DIR] [--queries FILE]\n"
                    "               [--split tune|heldout|all] [--min-ndcg X] [--min-kind X]\n"
                    "               [--distractors DIR|none]... [--render builtin|man]\n"
                    "               [--worst N] [--keep-root] [-v]\n");
        return 2;
    };
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
        else if (a == "--split")
            split = next();
        else if (a == "--min-ndcg")
            minNdcg = std::atof(next().c_str());
        else if (a == "--min-kind")
            minKind = std::atof(next().c_str());
        else if (a == "--distractors") {
            const std::string d = next();
            if (d == "none")
                noDefaultDistractors = true;
            else
                extraDistractors.push_back(d);
        } else if (a == "--render") {
            const std::string r = next();
            if (r != "builtin" && r != "man")
                return usage();
            useMan = r == "man";
        } else if (a == "--worst")
            worst = std::atoi(next().c_str());
        else if (a == "--keep-root")
            keepRoot = true;
        else if (a == "-v" || a == "--verbose")
            verbose = true;
        else
            return usage();
    }
    if (split != "tune" && split != "heldout" && split != "all")
        return usage();

    std::vector<Judged> set;
    try {
        for (const YAML::Node &n : YAML::LoadFile(queries)) {
            Judged j{n["kind"].as<std::string>(),
                     n["split"] ? n["split"].as<std::string>() : "",
                     n["q"].as<std::string>(),
                     {}};
            if (j.split != "tune" && j.split != "heldout")
                throw std::runtime_error("query \"" + j.query +
                                         "\": split must be tune or heldout");
            for (const auto &r : n["rel"])
                j.rel[r.first.as<std::string>()] = r.second.as<int>();
            for (const auto &r : n["rel_v2"]) // grades of the v2 fixtures for a v1 query
                if (!j.rel.emplace(r.first.as<std::string>(), r.second.as<int>()).second)
                    throw std::runtime_error("query \"" + j.query +
                                             "\": " + r.first.as<std::string>() + " judged twice");
            if (split == "all" || j.split == split)
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
    // Never-relevant documents: Debian's man pages in simplified and traditional Chinese
    // (manpages-zh) and in English (manpages), a fixed evenly spaced subset of each.
    std::vector<DistractorSet> sets;
    if (!noDefaultDistractors)
        sets = {{"zh_CN", "manpages-zh", "/usr/share/man/zh_CN/", 110},
                {"zh_TW", "manpages-zh", "/usr/share/man/zh_TW/", 40},
                {"en", "manpages", "/usr/share/man/man", 110}};
    std::vector<std::string> notes;
    const std::map<std::string, int> distractors =
        writeDistractors(root, sets, extraDistractors, useMan, capBytes, &notes);

    int status = 0;
    run({kb, "--root", root, "index"}, &status);
    if (status != 0) {
        std::fprintf(stderr, "kb-eval: kb index failed\n");
        if (!keepRoot)
            fs::remove_all(root);
        return 2;
    }

    std::vector<File> files;
    int nRecords = 0, nFixtures = 0, nDistractors = 0;
    kb::KbRoot kbRoot;
    kbRoot.dir = root;
    for (const kb::FileEntry &f : kb::scanMarkdownFiles(kbRoot).files) {
        kb::ParseResult p = kb::loadRecordFile(kbRoot, f.path);
        if (!p.record)
            continue;
        files.push_back({kb::Store::effectiveId(*p.record), lower(p.record->text)});
        if (f.path.rfind("fixtures/", 0) == 0)
            ++nFixtures;
        else if (f.path.rfind("distractors/", 0) == 0)
            ++nDistractors;
        else
            ++nRecords;
    }
    std::set<std::string> distractorIds;
    for (const kb::FileEntry &f : kb::scanMarkdownFiles(kbRoot).files)
        if (f.path.rfind("distractors/", 0) == 0)
            distractorIds.insert(kb::noteIdFromPath(f.path));

    std::vector<Result> results;
    for (const Judged &j : set) {
        const std::string out =
            run({kb, "--root", root, "search", "--json", "--limit", "10", "--", j.query}, &status);
        Result r{&j, {}, {}, {}};
        for (const auto &h :
             QJsonDocument::fromJson(QByteArray::fromStdString(out)).object()["hits"].toArray())
            r.ranked.push_back(h.toObject()["id"].toString().toStdString());
        r.kb = score(r.ranked, j.rel);
        r.grep = score(grepRank(files, j.query), j.rel);
        results.push_back(r);
    }
    auto hitList = [&](const Result &r, std::size_t n) {
        std::string s;
        for (std::size_t i = 0; i < r.ranked.size() && i < n; ++i) {
            auto it = r.j->rel.find(r.ranked[i]);
            const std::string mark = it != r.j->rel.end() ? "(" + std::to_string(it->second) + ")"
                                     : distractorIds.count(r.ranked[i]) ? "(d)"
                                                                        : "";
            s += " " + r.ranked[i] + mark;
        }
        return s.empty() ? std::string(" (no hits)") : s;
    };
    if (verbose)
        for (const Result &r : results)
            std::printf("%-14s %-7s %.3f (grep %.3f)  %s  ->%s\n", r.j->kind.c_str(),
                        r.j->split.c_str(), r.kb.ndcg, r.grep.ndcg, r.j->query.c_str(),
                        hitList(r, 5).c_str());
    if (keepRoot)
        std::printf("root kept: %s\n", root.c_str());
    else
        fs::remove_all(root);

    std::printf("%zu judged queries (split: %s) over %zu files: %d records, %d fixtures, "
                "%d distractors",
                set.size(), split.c_str(), files.size(), nRecords, nFixtures, nDistractors);
    if (!distractors.empty()) {
        std::string per;
        for (const auto &[name, n] : distractors)
            per += (per.empty() ? "" : ", ") + name + " " + std::to_string(n);
        std::printf(" (%s)", per.c_str());
    }
    std::printf("\n");
    for (const std::string &n : notes)
        std::printf("warning: %s\n", n.c_str());

    bool ok = true;
    if (split == "all") {
        std::vector<Result> tune, held;
        for (const Result &r : results)
            (r.j->split == "tune" ? tune : held).push_back(r);
        table("tuning half (split: tune)", tune, 0, 0);
        table("held-out half (split: heldout)", held, 0, 0);
        ok = table("all queries", results, minNdcg, minKind);
    } else {
        ok = table(split == "tune" ? "tuning half (split: tune)" : "held-out half (split: heldout)",
                   results, minNdcg, minKind);
    }
    if (worst > 0) {
        std::vector<const Result *> order;
        for (const Result &r : results)
            order.push_back(&r);
        std::stable_sort(order.begin(), order.end(),
                         [](const Result *a, const Result *b) { return a->kb.ndcg < b->kb.ndcg; });
        std::printf("\nworst %d queries by nDCG@10 (kb's top 5; (g) = judged grade, (d) = "
                    "distractor)\n",
                    worst);
        for (int i = 0; i < worst && i < int(order.size()); ++i) {
            const Result &r = *order[std::size_t(i)];
            std::string want;
            for (const auto &[id, g] : r.j->rel)
                if (g == 3)
                    want += (want.empty() ? "" : " ") + id;
            std::printf("%.3f %-14s %s\n      kb:%s\n      grade 3: %s\n", r.kb.ndcg,
                        r.j->kind.c_str(), r.j->query.c_str(), hitList(r, 5).c_str(), want.c_str());
        }
    }
    if (!ok) {
        std::printf("\nbelow target: overall nDCG@10 must be >= %.2f and every kind >= %.2f\n",
                    minNdcg, minKind);
        return 1;
    }
    return 0;
}
