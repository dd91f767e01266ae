#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/kbroot.h"
#include "core/pluginhost.h"
#include "core/store.h"
#include "core/vocabulary.h"
#include "services/actor.h"

namespace kb {
class GitHistory;
namespace search {
class Dictionary;
class IndexSchema;
class Lexicon;
} // namespace search

// What one `kb` invocation works with: global options, the root, plugins, vocabularies
// and records, each found or loaded on first use.
class Session {
public:
    Session(std::string cwd, std::string exeDir);
    ~Session();

    // A new session with the same options and nothing loaded yet: `kb serve` builds one
    // when the vocabularies or plugins change under it.
    std::unique_ptr<Session> freshCopy() const;

    std::string explicitRoot;
    std::vector<std::string> pluginPaths;
    bool stdoutIsTty = false;
    bool stdinIsTty = false;

    const std::string &cwd() const { return cwd_; }
    const std::string &exeDir() const { return exeDir_; }
    // Locates the root; prints nothing, returns false with the reason.
    bool openRoot(std::string *error);
    const KbRoot &root() const { return root_; }

    PluginHost &plugins();
    const Vocabularies &vocab();
    Store &store(); // loads on first use
    void reloadStore();

    // Every finding of `kb check`: unreadable/broken files, duplicate ids, unknown types,
    // schema violations and the plugins' own rules. Sorted by path and line.
    std::vector<Finding> checkAll();
    std::vector<Finding> checkRecord(const Record &r);
    // What the type's plugin rules (Kb::RecordType::validate) find in one record.
    std::vector<Finding> ruleFindings(const Record &r);

    // Writes a record file under the root atomically. With `expectedOld`, refuses when the
    // file changed on disk since it was read (another writer got there first). A plugin
    // rule that finds an error the old version did not have refuses the write (listed in
    // `refusedBy`, when given) unless `forceRuleErrors` is set (`--force`).
    bool writeRecord(const std::string &relPath, const std::string &content, bool createOnly,
                     const std::string *expectedOld, std::string *error,
                     std::vector<Finding> *refusedBy = nullptr);
    bool forceRuleErrors = false;
    // The bytes the last successful writeRecord put on disk: what it was given plus the
    // host's own keys (updated_by). A caller that hands out a version takes it from here.
    const std::string &lastWritten() const { return lastWritten_; }

    // Who the writes are by: written to `updated_by` by every write that changes a record,
    // and the author of its commit when kb.yaml says `history: git`. The CLI's is the git
    // identity or $USER (cliActor), found at the first write; kb serve sets the caller's.
    void setActor(Actor who) { actor_ = std::move(who); }
    const Actor &actor();
    // The root's git history, whether or not writes commit to it (`kb log` reads it);
    // nullptr with the reason outside a git work tree.
    GitHistory *history(std::string *error);
    // What the next write's commit message says instead of the field changes alone
    // ("restored a1b2c3d ..."); used once.
    void describeNextWrite(std::string note) { nextNote_ = std::move(note); }

    std::string today() const;

    // The index mapping of the loaded plugins, and the query-side synonyms.
    const search::IndexSchema &indexSchema();
    const search::Lexicon &lexicon();
    // Brings the index up to date for files kb just wrote; warns, never fails the write.
    void reindexFiles(const std::vector<std::string> &relPaths);
    // Set by kb serve, whose watcher owns rebuilds: a write handled by a session whose
    // schema the index no longer has (an old generation, mid-reload) must not rebuild it
    // with the old mapping; it updates the index only when the mapping is its own.
    bool watcherOwnsRebuilds = false;

private:
    // Commits a write when kb.yaml asks for history; warns, never fails the write.
    void recordHistory(const Record &now, const std::string *oldContent);
    // Error findings of the plugin rules in `now` (what is about to be written) that
    // `oldContent` did not have.
    std::vector<Finding> ruleErrorsIntroduced(const Record &now, const std::string *oldContent);

    std::string cwd_, exeDir_;
    KbRoot root_;
    bool rootOpen_ = false;
    std::unique_ptr<PluginHost> plugins_;
    std::optional<Vocabularies> vocab_;
    std::vector<Finding> vocabFindings_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<search::IndexSchema> indexSchema_;
    std::unique_ptr<search::Lexicon> lexicon_;
    std::unique_ptr<search::Dictionary> dictionary_;
    std::optional<Actor> actor_;
    std::unique_ptr<GitHistory> history_;
    std::string historyError_, nextNote_, lastWritten_;
};

} // namespace kb
