#pragma once

#include "core/finding.h"
#include "core/kbroot.h"
#include "core/store.h"
#include "indexer/indexformat.h"

#include <xapian.h>

#include <string>
#include <vector>

namespace kb::search {

class IndexSchema;

// One file turned into its Xapian document, ready for the writer thread.
struct BuiltDocument {
    std::string path;
    Xapian::Document doc;
    std::vector<Finding> findings; // why the file could not be read or parsed, if so
    std::size_t textBytes = 0;     // what the writer counts toward its flush size
};

// The unique term of a file's document ("P" + path, hashed when too long for a term).
std::string pathTerm(const std::string &relPath);
// The change signature stored per document: nanosecond mtime and size.
std::string fileSignature(const FileEntry &f);

// Reads, parses and analyses one file. Safe to call from several threads at once: it
// only reads shared state. A file that cannot be parsed is still indexed (its raw text,
// if it is text) with the error stored, so it is reported on every run but re-read
// only when it changes, and nothing in it is unsearchable.
BuiltDocument buildDocument(const KbRoot &root, const IndexSchema &schema, const FileEntry &file);

// The stored data key holding a file's load or parse error.
inline constexpr const char *kErrorKey = "error";

} // namespace kb::search
