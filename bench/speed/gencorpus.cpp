// kb-gencorpus: a deterministic corpus for the benchmarks. Writes N records of the four
// shipped types (lessons, cases, intel, improvements), mixed Chinese and English, into a
// fresh kb root: sentences recombined from the shipped content and from English
// templates, with generated sites, product codes and people so the vocabulary grows
// with the corpus as real text does. Same seed, same bytes.
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Pools {
    std::vector<std::string> zhSentences, customers, touchpoints, competitors, regions, people;
};

std::vector<std::string> splitSentences(const std::string &body)
{
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(body);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line[0] == '-' || line == "---")
            continue;
        // Split after the Chinese full stop and semicolon.
        std::size_t start = 0;
        for (std::size_t p; (p = line.find("。", start)) != std::string::npos; start = p + 3)
            out.push_back(line.substr(start, p + 3 - start));
        if (start < line.size() && line.size() - start > 6)
            out.push_back(line.substr(start));
    }
    return out;
}

Pools loadPools(const std::string &content)
{
    Pools p;
    for (const auto &e : fs::recursive_directory_iterator(content)) {
        if (e.path().extension() != ".md")
            continue;
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string text = ss.str();
        const auto end = text.find("\n---\n", 4);
        if (end == std::string::npos)
            continue;
        for (auto &s : splitSentences(text.substr(end + 5)))
            p.zhSentences.push_back(s);
    }
    auto ids = [&](const char *file, std::vector<std::string> &out) {
        for (const auto &n : YAML::LoadFile(content + "/vocab/" + file))
            out.push_back(n["id"].as<std::string>());
    };
    ids("customers.yaml", p.customers);
    ids("touchpoints.yaml", p.touchpoints);
    ids("competitors.yaml", p.competitors);
    ids("regions.yaml", p.regions);
    p.people = {"王磊",    "李娜",        "张伟",        "刘洋", "陈静",
                "Li Ming", "Ahmad Razak", "Maria Lopez", "赵敏", "周杰"};
    return p;
}

const char *kEnglish[] = {
    "The customer asked for a written plan before the night window.",
    "Spare parts for the {site} site arrived two days late.",
    "We rehearsed the rollback with the operations team before the cutover.",
    "Acceptance testing found {n} alarms on the {code} boards.",
    "The account manager confirmed the escalation path with the customer.",
    "Training material was updated to the current software release.",
    "Vendor pricing in the tender was about {n} percent below ours.",
    "The final payment depends on closing the punch list items.",
    "Delivery schedule slipped because customs clearance took {n} days.",
    "Field engineers replaced the {code} power module on site.",
    "The complaint was answered within the committed time.",
    "A site survey at {site} showed the room lacked cooling capacity.",
    "Network capacity expansion was planned for the {site} region.",
    "Root cause: the configuration audit did not cover legacy interfaces.",
};

const char *kSiteChars = "东南西北中新安平河山海湖江城港湾林石桥泉阳明华丰兴隆";

std::string pick(const std::vector<std::string> &v, std::mt19937 &rng)
{
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
}

std::string siteName(std::mt19937 &rng)
{
    static const std::string chars = kSiteChars;
    const std::size_t n = chars.size() / 3;
    std::string s;
    for (int i = 0; i < 2; ++i)
        s += chars.substr(3 * std::uniform_int_distribution<std::size_t>(0, n - 1)(rng), 3);
    return s + (rng() % 2 ? "站" : "局");
}

std::string productCode(std::mt19937 &rng)
{
    static const char *families[] = {"OLT", "BTS", "RRU", "OTN", "MW", "CORE", "SPN", "ONU"};
    return std::string(families[rng() % 8]) + "-" + std::to_string(1000 + rng() % 9000);
}

std::string english(std::mt19937 &rng)
{
    std::string s = kEnglish[rng() % (sizeof kEnglish / sizeof *kEnglish)];
    auto fill = [&](const std::string &key, const std::string &value) {
        for (std::size_t p; (p = s.find(key)) != std::string::npos;)
            s.replace(p, key.size(), value);
    };
    fill("{site}", siteName(rng));
    fill("{code}", productCode(rng));
    fill("{n}", std::to_string(2 + rng() % 40));
    return s;
}

std::string paragraph(const Pools &p, std::mt19937 &rng, int sentences)
{
    std::string out;
    for (int i = 0; i < sentences; ++i) {
        if (rng() % 3 == 0)
            out += english(rng) + " ";
        else
            out += pick(p.zhSentences, rng);
        if (rng() % 4 == 0)
            out += siteName(rng) + "的" + productCode(rng) + "设备";
    }
    return out + "\n";
}

// At most `bytes`, cut at a space or a character boundary, never inside UTF-8.
std::string cut(std::string s, std::size_t bytes)
{
    if (s.size() <= bytes)
        return s;
    std::size_t at = bytes;
    while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80)
        --at;
    if (const std::size_t space = s.rfind(' ', at); space != std::string::npos && space > bytes / 2)
        at = space;
    return s.substr(0, at);
}

std::string date(std::mt19937 &rng, int fromYear)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", fromYear + int(rng() % (2026 - fromYear)),
                  1 + int(rng() % 12), 1 + int(rng() % 28));
    return buf;
}

} // namespace

int main(int argc, char **argv)
{
    std::string out, content = KB_SOURCE_DIR "/content";
    long count = 1000;
    unsigned seed = 42;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--count")
            count = std::atol(next().c_str());
        else if (a == "--out")
            out = next();
        else if (a == "--seed")
            seed = unsigned(std::atol(next().c_str()));
        else if (a == "--content")
            content = next();
    }
    if (out.empty() || count <= 0) {
        std::fprintf(stderr, "usage: kb-gencorpus --out DIR [--count N] [--seed S]\n");
        return 2;
    }
    const Pools pools = loadPools(content);
    fs::create_directories(out);
    fs::copy(content + "/vocab", out + "/vocab",
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    std::ofstream(out + "/kb.yaml") << "# benchmark corpus\n";
    std::mt19937 rng(seed);
    std::size_t bytes = 0;
    static const char *kinds[] = {"lesson", "case", "intel", "improvement"};
    static const char *folders[] = {"lessons", "cases", "competitors", "improvements"};
    static const char *statuses[] = {"proposed", "accepted", "in-progress", "implemented",
                                     "verified", "closed",   "rejected",    "reopened"};
    for (long i = 0; i < count; ++i) {
        const int k = int(rng() % 4);
        const std::string d = date(rng, 2005);
        const std::string id = std::string(kinds[k]).substr(0, 3) + "-" + std::to_string(i);
        std::string title = cut(pick(pools.zhSentences, rng), 60);
        title += " (" + cut(english(rng), 40) + ")";
        for (char &c : title)
            if (c == ':' || c == '#' || c == '"')
                c = ' ';
        std::string fm = "---\nid: " + id + "\ntype: " + kinds[k] + "\ntitle: \"" + title +
                         "\"\ndate: " + d + "\n";
        const std::string tp = pick(pools.touchpoints, rng);
        switch (k) {
        case 0:
            fm += "kind: project-retro\ncustomer: " + pick(pools.customers, rng) +
                  "\ntouchpoint: [" + tp + "]\nowner: " + pick(pools.people, rng) + "\n";
            break;
        case 1:
            fm += "customer: " + pick(pools.customers, rng) + "\ntouchpoint: [" + tp +
                  "]\nreference_status: internal-only\n";
            break;
        case 2:
            fm += "competitor: " + pick(pools.competitors, rng) +
                  "\nkind: pricing\nobserved: " + d +
                  "\nsource_type: tender-document\nsource_ref: tender notice\nclaim: fact\n"
                  "lawful_source: true\n";
            break;
        default:
            fm += "source: retrospective\nstatus: " + std::string(statuses[rng() % 8]) +
                  "\nowner: " + pick(pools.people, rng) + "\ndue: " + date(rng, 2020) +
                  "\ncustomer: " + pick(pools.customers, rng) + "\ntouchpoint: [" + tp + "]\n";
        }
        fm += "---\n\n## 背景 / Background\n\n" + paragraph(pools, rng, 4 + int(rng() % 4)) +
              "\n## 问题 / What went wrong\n\n" + paragraph(pools, rng, 3 + int(rng() % 4)) +
              "\n## 经验教训 / Lessons\n\n" + paragraph(pools, rng, 3 + int(rng() % 3));
        const std::string dir = out + "/" + folders[k] + "/" + d.substr(0, 4);
        fs::create_directories(dir);
        std::ofstream(dir + "/" + id + ".md") << fm;
        bytes += fm.size();
    }
    std::printf("%ld records, %.1f MB in %s\n", count, bytes / 1e6, out.c_str());
    return 0;
}
