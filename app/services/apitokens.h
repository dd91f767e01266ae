#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kb {

// Per-user API tokens for scripts (`kb token add NAME`): each names a person and their
// groups, is shown once when made and stored only as its SHA-256 (the token has 256 bits
// of randomness, so a fast hash is enough), in ROOT/.kb/tokens.json, which is not under
// version control. Revoked by id; kb serve reads the file on each use, so a revocation
// takes effect at once.
struct ApiToken {
    std::string id; // "tok-3f9a1c2e": what `kb token list` shows and `revoke` takes
    std::string name;
    std::vector<std::string> groups;
    std::string created; // YYYY-MM-DD
    std::string hash;    // hex SHA-256 of the token
};

class ApiTokens {
public:
    explicit ApiTokens(std::string rootDir);

    // Makes a token for `name`; returns the token itself (to show once) or "" with the reason.
    std::string add(const std::string &name, const std::vector<std::string> &groups,
                    const std::string &today, std::string *error);
    std::vector<ApiToken> list(std::string *error) const;
    bool revoke(const std::string &id, std::string *error);
    // The entry a presented token belongs to, compared in constant time.
    std::optional<ApiToken> find(const std::string &token) const;

private:
    bool save(const std::vector<ApiToken> &all, std::string *error) const;
    std::string path_;
};

} // namespace kb
