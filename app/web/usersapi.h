#pragma once

#include "web/apiresponse.h"
#include "web/webapi.h"

#include "services/useraccounts.h"

#include <mutex>
#include <string>

namespace kb {
struct ServeConfig;
}

namespace kb::web {

class SignIns;

// The web side of local accounts (what `kb user` does on the command line), for people
// with the `users` right: list the accounts with their groups, rights and open sessions,
// add one, change its groups or password, remove it. Every signed-in person may change
// their own password (given the current one). Changes take effect at once: SignIns reads
// the file again, and a new password or a removed account ends that person's sessions.
class UsersApi {
public:
    UsersApi(std::string rootDir, SignIns &signIns, const ServeConfig &config);

    ApiResponse list(const Access &a);                           // GET /api/users
    ApiResponse create(const QByteArray &body, const Access &a); // POST /api/users
    // PUT /api/users/NAME {"groups": [...]} and/or {"password": "..."}
    ApiResponse update(const std::string &name, const QByteArray &body, const Access &a);
    ApiResponse remove(const std::string &name, const Access &a); // DELETE /api/users/NAME
    // POST /api/password {"current", "password"}: the caller's own account. On success
    // *sessionId is a fresh session for this browser (the password change ended the old).
    ApiResponse changeOwnPassword(const QByteArray &body, const Access &a,
                                  const std::string &address, std::string *sessionId);

private:
    ApiResponse refusedUnlessManager(const Access &a) const; // status 0 when allowed
    // The groups a body names, checked against kb.yaml's; false with a 422 in *refusal.
    bool readGroups(const QJsonObject &in, std::vector<std::string> *groups,
                    ApiResponse *refusal) const;

    UserAccounts store_;
    SignIns &signIns_;
    const ServeConfig &config_;
    std::mutex mutex_; // one change of the accounts file at a time
};

} // namespace kb::web
