#pragma once

#include <string>
#include <vector>

namespace kb {

// Keeps the root's git repository level with its remote, so that several servers (one per
// office) share one knowledge base: fetch, then fast-forward when only the remote moved,
// push when only this side did, and merge when both changed different files. When both
// changed the same file nothing is merged and nothing is lost: the outcome says which
// files, and the work tree stays as it was. Through libgit2, never by running git.
struct SyncOutcome {
    enum class State { UpToDate, Pulled, Pushed, Merged, Conflict, Failed };
    State state = State::Failed;
    std::string message;                // one line, for the log and the page
    std::vector<std::string> conflicts; // Conflict: the files both sides changed
    bool changedFiles() const { return state == State::Pulled || state == State::Merged; }
};

const char *syncStateName(SyncOutcome::State s); // "up-to-date", "pulled", ... "failed"

// The repository whose work tree holds `rootDir`, with its current branch's upstream (else
// origin and the same branch name).
SyncOutcome syncWithRemote(const std::string &rootDir);

} // namespace kb
