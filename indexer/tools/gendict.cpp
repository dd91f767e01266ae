// Build-time converter: CC-CEDICT (cedict_ts.u8, CC BY-SA 4.0) into the two sorted files
// search::Dictionary maps: zh-en.tsv (simplified word of 2-4 CJK characters -> up to four
// short English glosses) and en-zh.tsv (one-word gloss from an entry's first two senses
// -> up to six Chinese words). Classifier, variant, surname and cross-reference senses and
// glosses longer than two words are left out: a query word needs a translation, not a
// definition.
#include "../utf8.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using kb::search::decodeUtf8;

namespace {

bool isCjkWord(const std::string &s)
{
    std::size_t i = 0, n = 0;
    while (i < s.size()) {
        const std::uint32_t cp = decodeUtf8(s, i);
        if (cp < 0x4E00 || cp > 0x9FFF)
            return false;
        ++n;
    }
    return n >= 2 && n <= 4;
}

// "to begin work (of a factory)" -> "begin work"; "" when not one or two plain words.
std::string shortGloss(std::string d)
{
    std::string out;
    int depth = 0;
    for (char c : d) {
        if (c == '(')
            ++depth;
        else if (c == ')')
            depth = std::max(0, depth - 1);
        else if (depth == 0)
            out += char(std::tolower(static_cast<unsigned char>(c)));
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    while (!out.empty() && out.front() == ' ')
        out.erase(out.begin());
    if (out.rfind("to ", 0) == 0)
        out = out.substr(3);
    int spaces = 0;
    for (char c : out) {
        if (c == ' ')
            ++spaces;
        else if (c < 'a' || c > 'z')
            return {};
    }
    return out.empty() || spaces > 1 || out.back() == ' ' ? std::string() : out;
}

void addUnique(std::vector<std::string> &v, const std::string &s, std::size_t max)
{
    if (v.size() < max && std::find(v.begin(), v.end(), s) == v.end())
        v.push_back(s);
}

bool write(const std::string &path, const std::map<std::string, std::vector<std::string>> &m)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const auto &[key, values] : m) {
        out << key << '\t';
        for (std::size_t i = 0; i < values.size(); ++i)
            out << (i ? "|" : "") << values[i];
        out << '\n';
    }
    return bool(out);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: kb-gendict cedict_ts.u8 OUTDIR\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "kb-gendict: cannot read %s\n", argv[1]);
        return 1;
    }
    std::map<std::string, std::vector<std::string>> zhEn, enZh; // std::map: sorted by bytes
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        // TRADITIONAL SIMPLIFIED [pin1 yin1] /sense/sense/
        const std::size_t sp1 = line.find(' '), sp2 = line.find(' ', sp1 + 1);
        const std::size_t slash = line.find(" /", sp2);
        if (sp1 == std::string::npos || sp2 == std::string::npos || slash == std::string::npos)
            continue;
        const std::string simplified = line.substr(sp1 + 1, sp2 - sp1 - 1);
        if (!isCjkWord(simplified))
            continue;
        std::string senses = line.substr(slash + 2);
        while (!senses.empty() && (senses.back() == '/' || senses.back() == '\r'))
            senses.pop_back();
        std::size_t pos = 0;
        for (int sense = 0; pos <= senses.size(); ++sense) {
            const std::size_t end = std::min(senses.find('/', pos), senses.size());
            const std::string d = senses.substr(pos, end - pos);
            pos = end + 1;
            if (d.rfind("CL:", 0) == 0 || d.rfind("variant of", 0) == 0 ||
                d.rfind("see ", 0) == 0 || d.find("surname") != std::string::npos)
                continue;
            const std::string g = shortGloss(d);
            if (g.empty())
                continue;
            addUnique(zhEn[simplified], g, 4);
            if (g.find(' ') == std::string::npos && sense <= 1)
                addUnique(enZh[g], simplified, 6);
        }
    }
    const std::string dir = argv[2];
    if (!write(dir + "/zh-en.tsv", zhEn) || !write(dir + "/en-zh.tsv", enZh)) {
        std::fprintf(stderr, "kb-gendict: cannot write into %s\n", dir.c_str());
        return 1;
    }
    return 0;
}
