#pragma once

#include <string>
#include <string_view>

namespace kb::web {

// A file of the front end, compiled into the binary (no CDN, no files to install).
struct WebAsset {
    std::string bytes;
    const char *mimeType;
};

// The asset of that file name, or nullptr. Names come from the URL: only files that were
// compiled in can ever be returned, so no path can lead to the disk.
const WebAsset *findAsset(std::string_view name);

} // namespace kb::web
