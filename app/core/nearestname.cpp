#include "core/nearestname.h"

#include <algorithm>
#include <cctype>

namespace kb {
namespace {

std::size_t distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            const std::size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + !same});
            diagonal = row[j];
            row[j] = next;
        }
    }
    return row[b.size()];
}

} // namespace

std::string nearestName(std::string_view name, const std::vector<std::string> &known)
{
    std::string best;
    std::size_t bestDistance = 3;
    for (const std::string &k : known) {
        const std::size_t d = distance(name, k);
        if (d < bestDistance && d * 3 <= std::max(name.size(), k.size())) {
            bestDistance = d;
            best = k;
        }
    }
    return best;
}

} // namespace kb
