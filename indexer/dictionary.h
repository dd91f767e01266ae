#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::search {

// A general Chinese-English dictionary (CC-CEDICT, CC BY-SA 4.0) for query words the
// glossary lacks: two sorted tab-separated files, `zh-en.tsv` (simplified word -> English
// glosses) and `en-zh.tsv` (English word -> Chinese words), memory-mapped and searched by
// bisection, so opening costs nothing and no search parses them.
class Dictionary {
public:
    Dictionary() = default;
    ~Dictionary();
    Dictionary(const Dictionary &) = delete;
    Dictionary &operator=(const Dictionary &) = delete;

    // Maps the files of `dir`; false (and an empty dictionary) when they are absent.
    bool open(const std::string &dir);
    bool empty() const { return zhEn_.data == nullptr; }

    std::vector<std::string> englishFor(std::string_view chinese) const;
    std::vector<std::string> chineseFor(std::string_view english) const;
    // The longest dictionary word starting at `chars[from]` (2 to 4 characters, UTF-8
    // code points given), as its character count; 0 when none.
    std::size_t longestWordAt(const std::vector<std::string> &chars, std::size_t from) const;

private:
    struct Mapped {
        const char *data = nullptr;
        std::size_t size = 0;
    };
    static bool map(const std::string &path, Mapped *out);
    static std::vector<std::string> lookup(const Mapped &m, std::string_view key);
    static std::vector<std::string> baseForms(std::string_view word);
    Mapped zhEn_, enZh_;
};

} // namespace kb::search
