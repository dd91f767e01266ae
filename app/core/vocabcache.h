#pragma once

#include "core/finding.h"
#include "core/vocabulary.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kb {

// Parsed vocabularies kept in `<root>/.kb/vocab.cache`, keyed by a hash of every vocabulary
// file's name and content: yaml-cpp took ~4 ms for the shipped 8 KB, a fifth of a whole
// `kb search`. A changed byte changes the key, so a stale cache is never used.
struct VocabSnapshot {
    std::map<std::string, std::vector<Term>, std::less<>> lists;
    std::vector<Finding> findings;
};

// (file name, content) of each vocabulary file, in order.
using VocabFiles = std::vector<std::pair<std::string, std::string>>;

std::string vocabCacheKey(const VocabFiles &files);
bool readVocabCache(const std::string &rootDir, const std::string &key, VocabSnapshot *out);
// Best effort: only where the root already has its .kb folder, and silent on failure.
void writeVocabCache(const std::string &rootDir, const std::string &key,
                     const VocabSnapshot &snapshot);

} // namespace kb
