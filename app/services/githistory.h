#pragma once

#include <memory>
#include <string>
#include <vector>

struct git_repository;

namespace kb {
struct Actor;

// The root's git work tree as the record history (`history: git` in kb.yaml): each write
// by kb becomes one commit of that one file, through libgit2, never by running git.
// Whatever else the user has staged stays staged and out of kb's commits.
class GitHistory {
public:
    // The repository whose work tree holds `rootDir`; nullptr with the reason when there
    // is none.
    static std::unique_ptr<GitHistory> open(const std::string &rootDir, std::string *error);
    ~GitHistory();
    GitHistory(const GitHistory &) = delete;
    GitHistory &operator=(const GitHistory &) = delete;

    // Commits `content` as the file at `rootRelPath` on top of HEAD (no commit when it is
    // what HEAD already has), author and committer `who`; the index entry of the file is
    // updated to match. False with the reason.
    bool commitFile(const std::string &rootRelPath, const std::string &content, const Actor &who,
                    const std::string &message, std::string *error);

    struct Version {
        std::string commit; // full id
        std::string author, email;
        long long time = 0;    // seconds since the epoch
        int offsetMinutes = 0; // the author's time zone
        std::string message;   // first line
        std::string text;      // the file's bytes in that commit
    };
    // The commits that changed the file, newest first, at most `limit`.
    std::vector<Version> versions(const std::string &rootRelPath, std::size_t limit,
                                  std::string *error);

private:
    GitHistory(git_repository *repo, std::string rootPrefix);
    std::string repoPath(const std::string &rootRelPath) const;

    git_repository *repo_;
    std::string rootPrefix_; // the root inside the work tree: "" or "content/"
};

} // namespace kb
