#pragma once

#include <string>

namespace kb {

// A new record id: `<prefix>-<yyyymmdd>-<6 random chars>`, e.g. `les-20261122-k7m2qx`.
// The random part draws from 31 unambiguous characters (no 0/o, 1/i/l) out of the OS
// entropy source, so two people filing the same type on the same day in different
// clones collide with odds of 1 in 887 million; within one clone, file creation is
// exclusive and a collision simply draws again. No central counter is needed.
std::string newRecordId(const std::string &prefix, const std::string &isoDate);

} // namespace kb
