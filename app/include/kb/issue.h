// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>

namespace Kb {
// One problem found in a record. The host maps `field` to a line of the file.
struct Issue {
    QString field;   // front matter key, empty for the whole record
    QString message; // one line, in English, no trailing period needed
    // A warning is reported by `kb check` but fails it only with --strict (an overdue
    // action is news for its owner, not a broken file).
    bool warning = false;
};
} // namespace Kb
