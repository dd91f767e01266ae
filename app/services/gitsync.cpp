#include "services/gitsync.h"

#include "services/gitowned.h"

#include <memory>

namespace kb {

namespace {

using namespace git;

// ssh remotes: the user's agent, then the usual key files; anything else has none to give.
int credentials(git_credential **out, const char *, const char *user, unsigned int allowed,
                void *attempts)
{
    int &tried = *static_cast<int *>(attempts);
    if (++tried > 3)
        return GIT_EAUTH; // libgit2 would ask again for ever
    if (allowed & GIT_CREDENTIAL_SSH_KEY)
        return git_credential_ssh_key_from_agent(out, user ? user : "git");
    return GIT_PASSTHROUGH;
}

struct Sync {
    SyncOutcome outcome;
    Repository repo;
    Reference head;
    Remote remote;
    std::string branch; // "main"
    int attempts = 0;

    SyncOutcome fail(const std::string &what)
    {
        outcome.state = SyncOutcome::State::Failed;
        outcome.message = lastError(what);
        return outcome;
    }

    git_remote_callbacks callbacks()
    {
        git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
        cb.credentials = credentials;
        cb.payload = &attempts;
        return cb;
    }

    bool push()
    {
        git_push_options options = GIT_PUSH_OPTIONS_INIT;
        options.callbacks = callbacks();
        attempts = 0;
        std::string spec = "refs/heads/" + branch + ":refs/heads/" + branch;
        char *specs[] = {spec.data()};
        const git_strarray refspecs = {specs, 1};
        return git_remote_push(remote.p, &refspecs, &options) == 0;
    }

    // Puts `tree` into the work tree and index, refusing to overwrite a file changed
    // there since the last commit; then points the branch at `to`.
    bool advance(const git_oid &to, const std::string &why)
    {
        Object target;
        if (git_object_lookup(target.out(), repo.p, &to, GIT_OBJECT_COMMIT) != 0)
            return false;
        git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
        options.checkout_strategy = GIT_CHECKOUT_SAFE;
        if (git_checkout_tree(repo.p, target.p, &options) != 0)
            return false;
        Reference moved;
        return git_reference_set_target(moved.out(), head.p, &to, why.c_str()) == 0;
    }

    SyncOutcome run(const std::string &rootDir)
    {
        if (git_repository_open_ext(repo.out(), rootDir.c_str(), 0, nullptr) != 0)
            return fail(rootDir + " is not in a git work tree");
        if (git_repository_head_unborn(repo.p) == 1) {
            outcome.message = rootDir + ": the repository has no commit yet (commit the root, "
                                        "then add the shared repository as remote origin)";
            return outcome;
        }
        if (git_repository_head(head.out(), repo.p) != 0 || !git_reference_is_branch(head.p))
            return fail("the work tree is not on a branch");
        branch = git_reference_shorthand(head.p);
        std::string remoteName = "origin", theirsRef = "refs/remotes/origin/" + branch;
        Reference upstream;
        if (git_branch_upstream(upstream.out(), head.p) == 0) {
            theirsRef = git_reference_name(upstream.p);
            git_buf name = GIT_BUF_INIT;
            if (git_branch_remote_name(&name, repo.p, theirsRef.c_str()) == 0)
                remoteName = name.ptr;
            git_buf_dispose(&name);
        }
        if (git_remote_lookup(remote.out(), repo.p, remoteName.c_str()) != 0)
            return fail("no remote '" + remoteName + "' to pull from");
        git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
        fetch.callbacks = callbacks();
        if (git_remote_fetch(remote.p, nullptr, &fetch, "kb serve: fetch") != 0)
            return fail("fetch from " + remoteName);
        const git_oid *ours = git_reference_target(head.p);
        git_oid theirs;
        if (git_reference_name_to_id(&theirs, repo.p, theirsRef.c_str()) != 0) {
            // The remote has no such branch yet: this office is the first to share it.
            if (!push())
                return fail("push " + branch + " to " + remoteName);
            outcome.state = SyncOutcome::State::Pushed;
            outcome.message = "pushed " + branch + " to " + remoteName;
            return outcome;
        }
        if (git_oid_equal(ours, &theirs)) {
            outcome.state = SyncOutcome::State::UpToDate;
            outcome.message = "up to date with " + remoteName + "/" + branch;
            return outcome;
        }
        std::size_t ahead = 0, behind = 0;
        if (git_graph_ahead_behind(&ahead, &behind, repo.p, ours, &theirs) != 0)
            return fail("compare with " + remoteName);
        if (ahead == 0) {
            if (!advance(theirs, "kb serve: fast-forward"))
                return fail("fast-forward to " + remoteName + "/" + branch +
                            " (a file changed here and not committed is in the way)");
            outcome.state = SyncOutcome::State::Pulled;
            outcome.message =
                "pulled " + std::to_string(behind) + " commit(s) from " + remoteName + "/" + branch;
            return outcome;
        }
        if (behind == 0) {
            if (!push())
                return fail("push " + branch + " to " + remoteName);
            outcome.state = SyncOutcome::State::Pushed;
            outcome.message = "pushed " + std::to_string(ahead) + " commit(s) to " + remoteName;
            return outcome;
        }
        return merge(*ours, theirs, remoteName);
    }

    // Both sides moved: merge when no file was changed on both, else leave everything.
    SyncOutcome merge(const git_oid &ours, const git_oid &theirs, const std::string &remoteName)
    {
        Commit mine, other;
        if (git_commit_lookup(mine.out(), repo.p, &ours) != 0 ||
            git_commit_lookup(other.out(), repo.p, &theirs) != 0)
            return fail("read the commits to merge");
        Index merged;
        git_merge_options options = GIT_MERGE_OPTIONS_INIT;
        options.file_favor = GIT_MERGE_FILE_FAVOR_NORMAL; // a conflict stays a conflict
        if (git_merge_commits(merged.out(), repo.p, mine.p, other.p, &options) != 0)
            return fail("merge with " + remoteName + "/" + branch);
        if (git_index_has_conflicts(merged.p)) {
            git_index_conflict_iterator *it = nullptr;
            if (git_index_conflict_iterator_new(&it, merged.p) == 0) {
                const git_index_entry *ancestor, *a, *b;
                while (git_index_conflict_next(&ancestor, &a, &b, it) == 0)
                    outcome.conflicts.push_back(a ? a->path : b ? b->path : ancestor->path);
                git_index_conflict_iterator_free(it);
            }
            std::string files;
            for (const std::string &f : outcome.conflicts)
                files += (files.empty() ? "" : ", ") + f;
            outcome.state = SyncOutcome::State::Conflict;
            outcome.message = "this office and " + remoteName + "/" + branch + " both changed " +
                              files +
                              "; nothing was merged (run git pull in the root and resolve it)";
            return outcome;
        }
        git_oid treeId, commitId;
        Tree tree;
        Signature who;
        if (git_index_write_tree_to(&treeId, merged.p, repo.p) != 0 ||
            git_tree_lookup(tree.out(), repo.p, &treeId) != 0 ||
            git_signature_now(who.out(), "kb serve", "kb-serve@localhost") != 0)
            return fail("write the merge");
        const git_commit *parents[] = {mine.p, other.p};
        const std::string message = "Merge " + remoteName + "/" + branch + " (kb serve)";
        if (git_commit_create(&commitId, repo.p, nullptr, who.p, who.p, nullptr, message.c_str(),
                              tree.p, 2, parents) != 0)
            return fail("commit the merge");
        if (!advance(commitId, "kb serve: merge"))
            return fail("check out the merge (a file changed here and not committed is in "
                        "the way)");
        if (!push())
            return fail("push the merge to " + remoteName);
        outcome.state = SyncOutcome::State::Merged;
        outcome.message = "merged " + remoteName + "/" + branch + " and pushed";
        return outcome;
    }
};

} // namespace

const char *syncStateName(SyncOutcome::State s)
{
    switch (s) {
    case SyncOutcome::State::UpToDate:
        return "up-to-date";
    case SyncOutcome::State::Pulled:
        return "pulled";
    case SyncOutcome::State::Pushed:
        return "pushed";
    case SyncOutcome::State::Merged:
        return "merged";
    case SyncOutcome::State::Conflict:
        return "conflict";
    case SyncOutcome::State::Failed:
        return "failed";
    }
    return "failed";
}

SyncOutcome syncWithRemote(const std::string &rootDir)
{
    git_libgit2_init();
    SyncOutcome outcome;
    {
        Sync sync;
        outcome = sync.run(rootDir);
    }
    git_libgit2_shutdown();
    return outcome;
}

} // namespace kb
