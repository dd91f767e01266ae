#include "indexer/dictionary.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kb::search {

Dictionary::~Dictionary()
{
    for (Mapped *m : {&zhEn_, &enZh_})
        if (m->data)
            ::munmap(const_cast<char *>(m->data), m->size);
}

bool Dictionary::map(const std::string &path, Mapped *out)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st {};
    void *p = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && st.st_size > 0)
        p = ::mmap(nullptr, std::size_t(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED)
        return false;
    out->data = static_cast<const char *>(p);
    out->size = std::size_t(st.st_size);
    return true;
}

bool Dictionary::open(const std::string &dir)
{
    if (!map(dir + "/zh-en.tsv", &zhEn_))
        return false;
    if (!map(dir + "/en-zh.tsv", &enZh_)) {
        ::munmap(const_cast<char *>(zhEn_.data), zhEn_.size);
        zhEn_ = {};
        return false;
    }
    return true;
}

// Lines are `key TAB value|value|...`, sorted by the bytes of the key.
std::vector<std::string> Dictionary::lookup(const Mapped &m, std::string_view key)
{
    std::vector<std::string> out;
    if (!m.data || key.empty())
        return out;
    const std::string_view all(m.data, m.size);
    auto lineAt = [&](std::size_t pos) {
        std::size_t begin = all.rfind('\n', pos == 0 ? 0 : pos - 1);
        begin = (begin == std::string_view::npos || pos == 0) ? 0 : begin + 1;
        std::size_t end = all.find('\n', begin);
        return all.substr(begin, end == std::string_view::npos ? all.size() - begin : end - begin);
    };
    std::size_t lo = 0, hi = all.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        const std::string_view line = lineAt(mid);
        const std::string_view k = line.substr(0, line.find('\t'));
        if (k == key) {
            std::string_view values = line.substr(std::min(line.size(), k.size() + 1));
            while (!values.empty()) {
                const std::size_t bar = values.find('|');
                out.emplace_back(values.substr(0, bar));
                values =
                    bar == std::string_view::npos ? std::string_view() : values.substr(bar + 1);
            }
            return out;
        }
        const std::size_t lineStart = std::size_t(line.data() - all.data());
        if (k < key)
            lo = lineStart + line.size() + 1;
        else
            hi = lineStart;
    }
    return out;
}

std::vector<std::string> Dictionary::englishFor(std::string_view chinese) const
{
    return lookup(zhEn_, chinese);
}

std::vector<std::string> Dictionary::chineseFor(std::string_view english) const
{
    std::vector<std::string> out = lookup(enZh_, english);
    if (!out.empty())
        return out;
    // CC-CEDICT glosses words in their base form ("to poach"); an inflected query word
    // (poaching, delayed, batteries) is looked up as the base forms it may come from.
    for (const std::string &base : baseForms(english))
        if (!(out = lookup(enZh_, base)).empty())
            break;
    return out;
}

std::vector<std::string> Dictionary::baseForms(std::string_view word)
{
    std::vector<std::string> forms;
    const std::string w(word);
    const auto endsWith = [&](std::string_view suffix) {
        return w.size() > suffix.size() + 2 &&
               w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const auto stripped = [&](std::size_t n) { return w.substr(0, w.size() - n); };
    const auto addWithUndoubled = [&](const std::string &stem) {
        forms.push_back(stem);
        forms.push_back(stem + "e"); // damaged -> damage, charging -> charge
        const std::size_t n = stem.size();
        if (n >= 3 && stem[n - 1] == stem[n - 2] && stem[n - 1] != 'l' && stem[n - 1] != 's')
            forms.push_back(stem.substr(0, n - 1)); // stopped -> stop
    };
    if (endsWith("ies") || endsWith("ied"))
        forms.push_back(stripped(3) + "y");
    else if (endsWith("ing"))
        addWithUndoubled(stripped(3));
    else if (endsWith("ed"))
        addWithUndoubled(stripped(2));
    else if (endsWith("es")) {
        forms.push_back(stripped(2));
        forms.push_back(stripped(1));
    } else if (endsWith("s") && !endsWith("ss"))
        forms.push_back(stripped(1));
    return forms;
}

std::size_t Dictionary::longestWordAt(const std::vector<std::string> &chars, std::size_t from) const
{
    for (std::size_t n = std::min<std::size_t>(4, chars.size() - from); n >= 2; --n) {
        std::string word;
        for (std::size_t i = from; i < from + n; ++i)
            word += chars[i];
        if (!lookup(zhEn_, word).empty())
            return n;
    }
    return 0;
}

} // namespace kb::search
