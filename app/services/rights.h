#pragma once

#include "services/readclearance.h"

#include <string>
#include <vector>

namespace kb {

// What one caller may do: how far they read, and which kinds of write they make. kb.yaml
// gives them to groups (serve: groups); the host's access layer checks them for every
// front end.
struct Rights {
    ReadLevel read = ReadLevel::None;
    bool file = false;  // file new records
    bool edit = false;  // change records, restore an earlier version
    bool move = false;  // move cards on a plugin's board (an improvement's status)
    bool users = false; // see who is signed in and manage accounts

    static Rights everything();
    bool writesAny() const { return file || edit || move || users; }
    void add(const Rights &other); // the union

    // "read-public", "read-internal", "read-restricted", "file", "edit", "move", "users";
    // false for any other name.
    bool grant(const std::string &name);
    static const char *names();               // for messages: the names grant() takes
    std::vector<std::string> granted() const; // the names that describe these rights
};

} // namespace kb
