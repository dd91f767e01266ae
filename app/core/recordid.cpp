#include "core/recordid.h"

#include <random>

namespace kb {

std::string newRecordId(const std::string &prefix, const std::string &isoDate)
{
    static constexpr char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";
    static constexpr unsigned size = sizeof(alphabet) - 1;
    std::random_device rd;
    std::uniform_int_distribution<unsigned> pick(0, size - 1);
    std::string id = prefix + "-";
    for (char c : isoDate)
        if (c != '-')
            id += c;
    id += '-';
    for (int i = 0; i < 6; ++i)
        id += alphabet[pick(rd)];
    return id;
}

} // namespace kb
