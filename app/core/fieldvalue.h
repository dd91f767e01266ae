#pragma once

#include <string>
#include <vector>

namespace kb {

// A front matter value, reduced to what schemas describe: a scalar, a list of scalars,
// or something nested that kb keeps verbatim but does not interpret.
struct FieldValue {
    enum class Kind { Null, Scalar, List, Nested };
    Kind kind = Kind::Null;
    std::string scalar;
    std::vector<std::string> items;
    int line = 0; // 1-based line of the key in the file

    bool isNull() const { return kind == Kind::Null; }
    // Scalars as a one-item list, so `touchpoint: tp07` and `[tp07]` read the same.
    std::vector<std::string> asList() const;
    std::string asText() const; // scalar, or list items joined by ", "
};

} // namespace kb
