#include "services/githistory.h"

#include "services/actor.h"

#include "services/gitowned.h"

#include <filesystem>

namespace kb {

namespace {

using namespace git;

// The blob id of `path` in `commit`'s tree; false when the file is not there.
bool blobAt(git_commit *commit, const std::string &path, git_oid *out)
{
    Tree tree;
    if (git_commit_tree(tree.out(), commit) != 0)
        return false;
    Entry entry;
    if (git_tree_entry_bypath(entry.out(), tree.p, path.c_str()) != 0)
        return false;
    if (git_tree_entry_type(entry.p) != GIT_OBJECT_BLOB)
        return false;
    git_oid_cpy(out, git_tree_entry_id(entry.p));
    return true;
}

} // namespace

GitHistory::GitHistory(git_repository *repo, std::string rootPrefix)
    : repo_(repo), rootPrefix_(std::move(rootPrefix))
{
}

GitHistory::~GitHistory()
{
    git_repository_free(repo_);
    git_libgit2_shutdown();
}

std::unique_ptr<GitHistory> GitHistory::open(const std::string &rootDir, std::string *error)
{
    git_libgit2_init();
    git_repository *repo = nullptr;
    if (git_repository_open_ext(&repo, rootDir.c_str(), 0, nullptr) != 0) {
        *error = rootDir + " is not inside a git work tree (history: git needs one; run "
                           "`git init` there, or set history: none in kb.yaml)";
        git_libgit2_shutdown();
        return nullptr;
    }
    const char *workdir = git_repository_workdir(repo);
    if (!workdir) {
        *error = rootDir + " is inside a bare git repository; history needs a work tree";
        git_repository_free(repo);
        git_libgit2_shutdown();
        return nullptr;
    }
    std::error_code ec;
    const std::filesystem::path root = std::filesystem::weakly_canonical(rootDir, ec);
    const std::filesystem::path work = std::filesystem::weakly_canonical(workdir, ec);
    std::string prefix = root.lexically_relative(work).generic_string();
    if (prefix == ".")
        prefix.clear();
    else if (!prefix.empty())
        prefix += '/';
    return std::unique_ptr<GitHistory>(new GitHistory(repo, prefix));
}

std::string GitHistory::repoPath(const std::string &rootRelPath) const
{
    return rootPrefix_ + rootRelPath;
}

bool GitHistory::commitFile(const std::string &rootRelPath, const std::string &content,
                            const Actor &who, const std::string &message, std::string *error)
{
    const std::string path = repoPath(rootRelPath);
    git_oid blob;
    if (git_blob_create_from_buffer(&blob, repo_, content.data(), content.size()) != 0) {
        *error = lastError("git: storing " + path);
        return false;
    }
    // HEAD's tree with this one file replaced, built in an index of kb's own: the user's
    // staged changes are neither committed nor lost.
    Commit parent;
    git_oid headId;
    const bool hasParent = git_reference_name_to_id(&headId, repo_, "HEAD") == 0 &&
                           git_commit_lookup(parent.out(), repo_, &headId) == 0;
    Index index;
    if (git_index_new(index.out()) != 0) {
        *error = lastError("git");
        return false;
    }
    Tree parentTree;
    if (hasParent) {
        if (git_commit_tree(parentTree.out(), parent.p) != 0 ||
            git_index_read_tree(index.p, parentTree.p) != 0) {
            *error = lastError("git: reading HEAD");
            return false;
        }
    }
    git_index_entry entry{};
    entry.mode = GIT_FILEMODE_BLOB;
    entry.id = blob;
    entry.path = path.c_str();
    git_oid treeId;
    if (git_index_add(index.p, &entry) != 0 ||
        git_index_write_tree_to(&treeId, index.p, repo_) != 0) {
        *error = lastError("git: writing the tree");
        return false;
    }
    if (hasParent && git_oid_equal(&treeId, git_tree_id(parentTree.p)))
        return true; // HEAD already has these bytes
    Tree tree;
    Signature sig;
    if (git_tree_lookup(tree.out(), repo_, &treeId) != 0 ||
        git_signature_now(sig.out(), who.name.c_str(), who.email.c_str()) != 0) {
        *error = lastError("git: the author '" + who.name + " <" + who.email + ">'");
        return false;
    }
    const git_commit *parents[] = {parent.p};
    git_oid commitId;
    if (git_commit_create(&commitId, repo_, "HEAD", sig.p, sig.p, nullptr, message.c_str(), tree.p,
                          hasParent ? 1 : 0, parents) != 0) {
        *error = lastError("git: committing " + path);
        return false;
    }
    // The work tree's index learns the file as committed, so `git status` shows it clean.
    Index repoIndex;
    if (git_repository_index(repoIndex.out(), repo_) == 0 && git_index_read(repoIndex.p, 0) == 0) {
        git_index_entry staged{};
        staged.mode = GIT_FILEMODE_BLOB;
        staged.id = blob;
        staged.path = path.c_str();
        git_index_add_bypath(repoIndex.p, path.c_str()); // stat data from the file on disk
        if (const git_index_entry *now = git_index_get_bypath(repoIndex.p, path.c_str(), 0);
            !now || !git_oid_equal(&now->id, &blob))
            git_index_add(repoIndex.p, &staged); // the file changed again meanwhile
        git_index_write(repoIndex.p);
    }
    return true;
}

std::vector<GitHistory::Version> GitHistory::versions(const std::string &rootRelPath,
                                                      std::size_t limit, std::string *error)
{
    std::vector<Version> out;
    const std::string path = repoPath(rootRelPath);
    Walk walk;
    if (git_revwalk_new(walk.out(), repo_) != 0) {
        *error = lastError("git");
        return out;
    }
    // Children before parents, whatever their clocks say (commits of one second tie).
    git_revwalk_sorting(walk.p, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
    if (git_revwalk_push_head(walk.p) != 0)
        return out; // no commits yet
    git_oid id;
    while (out.size() < limit && git_revwalk_next(&id, walk.p) == 0) {
        Commit commit;
        if (git_commit_lookup(commit.out(), repo_, &id) != 0)
            continue;
        git_oid mine;
        if (!blobAt(commit.p, path, &mine))
            continue;
        Commit parent;
        git_oid theirs;
        if (git_commit_parentcount(commit.p) > 0 &&
            git_commit_parent(parent.out(), commit.p, 0) == 0 && blobAt(parent.p, path, &theirs) &&
            git_oid_equal(&mine, &theirs))
            continue; // this commit did not change the file
        Blob blob;
        if (git_blob_lookup(blob.out(), repo_, &mine) != 0)
            continue;
        Version v;
        v.commit = git_oid_tostr_s(&id);
        const git_signature *author = git_commit_author(commit.p);
        v.author = author->name ? author->name : "";
        v.email = author->email ? author->email : "";
        v.time = static_cast<long long>(author->when.time);
        v.offsetMinutes = author->when.offset;
        const char *summary = git_commit_summary(commit.p);
        v.message = summary ? summary : "";
        v.text.assign(static_cast<const char *>(git_blob_rawcontent(blob.p)),
                      static_cast<std::size_t>(git_blob_rawsize(blob.p)));
        out.push_back(std::move(v));
    }
    return out;
}

} // namespace kb
