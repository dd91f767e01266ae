#pragma once

// What the two libgit2 users (githistory, gitsync) share: ownership of libgit2 objects and
// libgit2's last error in words. Included only by their .cpp files, so <git2.h> stays out
// of every other translation unit.
#include <git2.h>

#include <string>

namespace kb::git {

// "what: libgit2's message".
inline std::string lastError(const std::string &what)
{
    const git_error *e = git_error_last();
    return what + ": " + (e && e->message ? e->message : "unknown libgit2 error");
}

// Frees a libgit2 object at the end of a scope.
template <class T, void (*Free)(T *)> struct Owned {
    T *p = nullptr;
    Owned() = default;
    Owned(const Owned &) = delete;
    Owned &operator=(const Owned &) = delete;
    ~Owned()
    {
        if (p)
            Free(p);
    }
    T **out() { return &p; }
};

using Repository = Owned<git_repository, git_repository_free>;
using Reference = Owned<git_reference, git_reference_free>;
using Remote = Owned<git_remote, git_remote_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using Index = Owned<git_index, git_index_free>;
using Signature = Owned<git_signature, git_signature_free>;
using Object = Owned<git_object, git_object_free>;
using Entry = Owned<git_tree_entry, git_tree_entry_free>;
using Blob = Owned<git_blob, git_blob_free>;
using Walk = Owned<git_revwalk, git_revwalk_free>;

} // namespace kb::git
