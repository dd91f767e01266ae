#include "core/samesecret.h"

namespace kb {

bool sameSecret(const std::string &given, const std::string &secret)
{
    if (secret.empty())
        return false;
    std::size_t diff = given.size() ^ secret.size();
    for (std::size_t i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ secret[i % secret.size()]);
    return diff == 0;
}

} // namespace kb
