#pragma once

#include "services/useraccounts.h"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kb::web {

// The people signed in on kb serve's sign-in page (local accounts, UserAccounts). A
// sign-in is a random 256-bit session id in an HttpOnly cookie; the server keeps only its
// SHA-256, with the person and when it ends. Sessions live in memory: a restart signs
// everyone out, which is the safe way round. An account removed or given a new password
// ends its sessions at once. Failed sign-ins are limited per name and per address, so a
// password cannot be guessed at speed (and each guess costs an Argon2id hash).
class SignIns {
public:
    using Clock = std::chrono::steady_clock;

    SignIns(std::string rootDir, unsigned timeoutSeconds);

    // Whether the server has any local accounts (read again when the file changes).
    bool accountsExist();

    struct Person {
        std::string name;
        std::vector<std::string> groups;
    };
    // The person a session cookie's value belongs to, if it is live.
    std::optional<Person> find(const std::string &sessionId);

    struct Attempt {
        int status = 0;          // 200 signed in, 401 wrong name or password, 429 too many
        std::string sessionId;   // on 200: the cookie's value
        std::string message;     // otherwise: why
        unsigned retryAfter = 0; // on 429: seconds
    };
    Attempt signIn(const std::string &name, const std::string &password,
                   const std::string &address);
    // The same check and limits as signIn, without opening a session (a password change
    // asks for the current password).
    Attempt checkPassword(const std::string &name, const std::string &password,
                          const std::string &address);
    // A new session for the account `name` as it is now; "" when there is none.
    std::string open(const std::string &name);
    void signOut(const std::string &sessionId);
    // How many live sessions each signed-in person has.
    std::map<std::string, int> openSessions();

    unsigned timeoutSeconds() const { return timeout_; }

    // How often sign-ins may fail within the window: a name from one address; an address
    // (for any names); a name from anywhere (guessing spread over many addresses). Only
    // the first two lock out the address that failed, so a stranger elsewhere cannot lock a
    // person out with five wrong passwords. A new password lifts every lock on its name.
    static constexpr int kFailuresPerNameAndAddress = 5, kFailuresPerAddress = 20,
                         kFailuresPerName = 50;
    static constexpr std::chrono::minutes kWindow{15};

private:
    std::shared_ptr<const std::vector<UserAccount>> accounts(); // under no lock; takes mutex_
    unsigned limitedFor(const std::string &key, int limit, Clock::time_point now); // mutex_
    void failed(const std::string &key, Clock::time_point now);                    // mutex_
    std::string openFor(const UserAccount &account, Clock::time_point now);        // mutex_

    struct Session {
        std::string name;
        std::string accountHash; // the password hash it was opened with
        Clock::time_point ends;
    };
    UserAccounts store_;
    const unsigned timeout_;
    std::mutex mutex_;
    std::map<std::string, Session> sessions_;                       // by SHA-256 of the id
    std::map<std::string, std::deque<Clock::time_point>> failures_; // keys: failureKeys()
    std::shared_ptr<const std::vector<UserAccount>> accounts_;
    std::string accountsStamp_; // the file's size and time when read
};

} // namespace kb::web
