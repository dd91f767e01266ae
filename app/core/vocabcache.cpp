#include "core/vocabcache.h"

#include "core/atomicfile.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

namespace kb {
namespace {

constexpr std::string_view kMagic = "kb-vocab-cache 1\n";

std::string cachePath(const std::string &rootDir)
{
    return rootDir + "/.kb/vocab.cache";
}

// Length-prefixed fields: "<bytes>:<text>" for strings, "<n>;" for numbers.
void putString(std::string &out, std::string_view s)
{
    out += std::to_string(s.size());
    out += ':';
    out += s;
}

void putNumber(std::string &out, std::size_t n)
{
    out += std::to_string(n);
    out += ';';
}

class Reader {
public:
    explicit Reader(std::string_view data) : data_(data) {}
    bool ok() const { return ok_; }
    bool atEnd() const { return pos_ == data_.size(); }

    std::size_t number(char end = ';')
    {
        std::size_t n = 0, digits = 0;
        while (pos_ < data_.size() && data_[pos_] >= '0' && data_[pos_] <= '9' && digits < 12) {
            n = n * 10 + std::size_t(data_[pos_++] - '0');
            ++digits;
        }
        if (digits == 0 || pos_ >= data_.size() || data_[pos_] != end)
            ok_ = false;
        else
            ++pos_;
        return ok_ ? n : 0;
    }

    std::string string()
    {
        const std::size_t n = number(':');
        if (!ok_ || n > data_.size() - pos_) {
            ok_ = false;
            return {};
        }
        std::string s(data_.substr(pos_, n));
        pos_ += n;
        return s;
    }

    // A count of items that each need at least one byte: bounds a corrupt count.
    std::size_t count()
    {
        const std::size_t n = number();
        if (n > data_.size() - pos_)
            ok_ = false;
        return ok_ ? n : 0;
    }

private:
    std::string_view data_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

} // namespace

std::string vocabCacheKey(const VocabFiles &files)
{
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a over names and contents
    auto mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ULL;
        }
        h ^= 0xff; // separator: "ab"+"c" differs from "a"+"bc"
        h *= 1099511628211ULL;
    };
    std::size_t bytes = 0;
    for (const auto &[name, text] : files) {
        mix(name);
        mix(text);
        bytes += text.size();
    }
    return std::to_string(files.size()) + "-" + std::to_string(bytes) + "-" + std::to_string(h);
}

bool readVocabCache(const std::string &rootDir, const std::string &key, VocabSnapshot *out)
{
    std::string data, error;
    if (!readWholeFile(cachePath(rootDir), &data, &error) || data.rfind(kMagic, 0) != 0)
        return false;
    Reader r(std::string_view(data).substr(kMagic.size()));
    if (r.string() != key || !r.ok())
        return false;
    VocabSnapshot s;
    for (std::size_t lists = r.count(); r.ok() && lists > 0; --lists) {
        std::vector<Term> &terms = s.lists[r.string()];
        for (std::size_t n = r.count(); r.ok() && n > 0; --n) {
            Term t;
            t.id = r.string();
            t.zh = r.string();
            t.en = r.string();
            t.description = r.string();
            for (std::size_t a = r.count(); r.ok() && a > 0; --a)
                t.aliases.push_back(r.string());
            terms.push_back(std::move(t));
        }
    }
    for (std::size_t n = r.count(); r.ok() && n > 0; --n) {
        Finding f;
        f.path = r.string();
        f.line = int(r.number());
        f.field = r.string();
        f.message = r.string();
        f.warning = r.number() != 0;
        s.findings.push_back(std::move(f));
    }
    if (!r.ok() || !r.atEnd())
        return false; // damaged: parse the YAML again
    *out = std::move(s);
    return true;
}

void writeVocabCache(const std::string &rootDir, const std::string &key,
                     const VocabSnapshot &snapshot)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(rootDir + "/.kb", ec))
        return;
    std::string out(kMagic);
    putString(out, key);
    putNumber(out, snapshot.lists.size());
    for (const auto &[name, terms] : snapshot.lists) {
        putString(out, name);
        putNumber(out, terms.size());
        for (const Term &t : terms) {
            putString(out, t.id);
            putString(out, t.zh);
            putString(out, t.en);
            putString(out, t.description);
            putNumber(out, t.aliases.size());
            for (const std::string &a : t.aliases)
                putString(out, a);
        }
    }
    putNumber(out, snapshot.findings.size());
    for (const Finding &f : snapshot.findings) {
        putString(out, f.path);
        putNumber(out, std::size_t(std::max(0, f.line)));
        putString(out, f.field);
        putString(out, f.message);
        putNumber(out, f.warning ? 1 : 0);
    }
    std::string error;
    writeFileAtomically(cachePath(rootDir), out, false, &error);
}

} // namespace kb
