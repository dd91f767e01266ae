#include "indexer/suggest.h"

#include "indexer/textanalysis.h"

#include <algorithm>
#include <cstdint>

namespace kb::search {

namespace {

std::vector<std::uint32_t> codePoints(std::string_view s)
{
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < s.size();)
        out.push_back(foldChar(decodeUtf8(s, i)));
    return out;
}

int editDistance(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b)
{
    std::vector<int> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const int up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

} // namespace

std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates,
                         int maxDistance)
{
    const auto w = codePoints(word);
    std::string best;
    int bestDistance = maxDistance + 1;
    for (const std::string &c : candidates) {
        const int d = editDistance(w, codePoints(c));
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

} // namespace kb::search
