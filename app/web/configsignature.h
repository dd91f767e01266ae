#pragma once

#include "core/kbroot.h"

#include <string>
#include <vector>

namespace kb::web {

// What the server's mapping depends on besides the records: kb.yaml, the vocabularies and
// the plugin files. Stat data only (name, size, modification and change times), so it is
// cheap enough to compare every few seconds; any edit changes the change time.
std::string configSignature(const KbRoot &root, const std::vector<std::string> &pluginFiles);

} // namespace kb::web
