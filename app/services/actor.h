#pragma once

#include <string>

namespace kb {

// Who makes a change: the name written to `updated_by` and the author of its commit.
struct Actor {
    std::string name;  // "王磊", "alice"
    std::string email; // for commits; "alice@host" when git knows none
};

// The person at the terminal: KB_USER (name, optionally "Name <email>"), else the git
// identity (user.name, user.email) of the repository holding `rootDir` or of the user's
// git configuration, else $USER (or the login name).
Actor cliActor(const std::string &rootDir);

} // namespace kb
