#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kb {

// Local accounts for a small team's kb serve (`kb user add NAME`): each a name, groups
// and an Argon2id hash of the password (libsodium's crypto_pwhash_str: salt and cost
// inside the string). Kept in ROOT/.kb/users.json, mode 600, not under version control.
// kb serve reads the file again when it changes, so an added, removed or re-passworded
// account takes effect at once.
struct UserAccount {
    std::string name;
    std::vector<std::string> groups;
    std::string created; // YYYY-MM-DD
    std::string hash;    // "$argon2id$v=19$m=65536,t=2,p=1$..."
};

class UserAccounts {
public:
    explicit UserAccounts(std::string rootDir);

    std::vector<UserAccount> list(std::string *error) const;
    bool add(const std::string &name, const std::string &password,
             const std::vector<std::string> &groups, const std::string &today, std::string *error);
    bool setPassword(const std::string &name, const std::string &password, std::string *error);
    bool setGroups(const std::string &name, const std::vector<std::string> &groups,
                   std::string *error);
    bool remove(const std::string &name, std::string *error);

    // The account whose name and password these are; nullopt for a wrong name or password
    // (the same time either way: a missing name is checked against a dummy hash).
    std::optional<UserAccount> verify(const std::string &name, const std::string &password) const;

    // "" when the password will do, else why not (too short, too long).
    static std::string passwordProblem(const std::string &password);
    static std::string nameProblem(const std::string &name);
    const std::string &path() const { return path_; }

private:
    bool save(const std::vector<UserAccount> &all, std::string *error) const;
    std::string path_;
};

} // namespace kb
