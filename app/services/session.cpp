#include "services/session.h"

#include "core/atomicfile.h"
#include "core/frontmatter.h"
#include "core/plugincall.h"
#include "core/recordbridge.h"
#include "core/recorddiff.h"
#include "core/recordedit.h"
#include "core/validator.h"
#include "indexer/dictionary.h"
#include "indexer/indexformat.h"
#include "indexer/indexlocation.h"
#include "indexer/indexschema.h"
#include "indexer/indexsync.h"
#include "indexer/lexicon.h"
#include "services/githistory.h"
#include "services/hostcommands.h"
#include "services/hostservices.h"
#include "services/output.h"

#include <kb/recordtype.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kb {

Session::Session(std::string cwd, std::string exeDir)
    : cwd_(std::move(cwd)), exeDir_(std::move(exeDir))
{
}

Session::~Session() = default;

std::unique_ptr<Session> Session::freshCopy() const
{
    auto copy = std::make_unique<Session>(cwd_, exeDir_);
    copy->explicitRoot = explicitRoot;
    copy->pluginPaths = pluginPaths;
    copy->stdoutIsTty = stdoutIsTty;
    copy->stdinIsTty = stdinIsTty;
    copy->watcherOwnsRebuilds = watcherOwnsRebuilds;
    return copy;
}

const search::IndexSchema &Session::indexSchema()
{
    if (!indexSchema_) {
        std::vector<const TypeSchema *> types;
        for (const PluginInfo &p : plugins().plugins())
            if (p.state == PluginState::Loaded && p.schema.hasRecords)
                types.push_back(&p.schema);
        indexSchema_ =
            std::make_unique<search::IndexSchema>(search::IndexSchema::build(types, vocab()));
    }
    return *indexSchema_;
}

const search::Lexicon &Session::lexicon()
{
    if (!lexicon_) {
        lexicon_ = std::make_unique<search::Lexicon>();
        lexicon_->build(vocab());
        // CC-CEDICT, installed beside kb when ./dev fetched it; search works without.
        dictionary_ = std::make_unique<search::Dictionary>();
        if (dictionary_->open(exeDir_ + "/../share/kb/cedict"))
            lexicon_->setDictionary(dictionary_.get());
    }
    return *lexicon_;
}

void Session::reindexFiles(const std::vector<std::string> &relPaths)
{
    std::string error;
    if (!search::updateIndexedFiles(root_, indexSchema(), relPaths, search::defaultLockTimeoutMs(),
                                    &error, !watcherOwnsRebuilds))
        printErr("kb: warning: the record is saved but the index was not updated: " + error + "\n");
}

bool Session::openRoot(std::string *error)
{
    if (rootOpen_)
        return true;
    rootOpen_ = locateRoot(explicitRoot, cwd_, &root_, error);
    if (rootOpen_)
        if (const std::string crash = PluginCall::watchRoot(root_.dir); !crash.empty())
            printErr("kb: warning: " + crash + "\n");
    return rootOpen_;
}

PluginHost &Session::plugins()
{
    if (!plugins_) {
        plugins_ = std::make_unique<PluginHost>();
        plugins_->reserveCommands(hostCommands());
        plugins_->reservePrefixes(search::hostPrefixes());
        std::vector<std::string> missing;
        plugins_->discover(PluginHost::searchPath(pluginPaths, exeDir_, &missing));
        for (const std::string &dir : missing)
            printErr("kb: warning: plugin folder '" + dir + "' does not exist" +
                     (dir.empty() || dir[0] != '/' ? " (relative to " + cwd_ + ")" : "") +
                     "; ignored\n");
    }
    return *plugins_;
}

const Vocabularies &Session::vocab()
{
    if (!vocab_) {
        vocab_.emplace();
        vocabFindings_ = vocab_->load(root_.dir);
    }
    return *vocab_;
}

Store &Session::store()
{
    if (!store_) {
        store_ = std::make_unique<Store>(root_);
        store_->load();
    }
    return *store_;
}

void Session::reloadStore()
{
    store_.reset();
}

std::vector<Finding> Session::checkRecord(const Record &r)
{
    std::vector<Finding> out;
    if (r.plainNote)
        return out;
    const std::string type = r.type();
    if (type.empty()) {
        out.push_back(
            {r.path, r.lineOf("type"), "type", "missing 'type'; indexed as a plain note"});
        return out;
    }
    const PluginInfo *plugin = plugins().findRecordType(type);
    if (!plugin) {
        out.push_back({r.path, r.lineOf("type"), "type",
                       "unknown type '" + type + "' (" + plugins().whyUnknownType(type) + ")"});
        return out;
    }
    out = validateRecord(r, plugin->schema, vocab());
    const std::vector<Finding> rules = ruleFindings(r);
    out.insert(out.end(), rules.begin(), rules.end());
    return out;
}

std::vector<Finding> Session::ruleFindings(const Record &r)
{
    std::vector<Finding> out;
    const PluginInfo *plugin = r.plainNote ? nullptr : plugins().findRecordType(r.type());
    if (!plugin)
        return out;
    // The plugin's own rules; a throwing plugin is reported, not fatal.
    HostServices host(*this);
    try {
        const PluginCall call(plugin->id, "rules of " + r.path);
        const auto issues = plugin->instance->validate(
            toRecordData(r, Store::effectiveId(r), &plugin->schema), host);
        for (const auto &issue : issues) {
            std::string field = issue.field.toStdString();
            out.push_back(
                {r.path, r.lineOf(field), field, issue.message.toStdString(), issue.warning});
        }
    } catch (const std::exception &e) {
        out.push_back(
            {r.path, 0, {}, "plugin '" + plugin->id + "' failed while validating: " + e.what()});
    } catch (...) {
        out.push_back({r.path, 0, {}, "plugin '" + plugin->id + "' failed while validating"});
    }
    return out;
}

std::vector<Finding> Session::checkAll()
{
    std::vector<Finding> out = store().findings();
    vocab();
    out.insert(out.end(), vocabFindings_.begin(), vocabFindings_.end());
    for (const auto &r : store().records()) {
        auto f = checkRecord(r);
        out.insert(out.end(), f.begin(), f.end());
    }
    std::stable_sort(out.begin(), out.end(), [](const Finding &a, const Finding &b) {
        return a.path != b.path ? a.path < b.path : a.line < b.line;
    });
    return out;
}

namespace {

// An exclusive flock on <root>/.kb/write.lock for the check-and-replace of one write.
class RecordWriteLock {
public:
    explicit RecordWriteLock(const std::string &rootDir)
    {
        const std::string dir = rootDir + "/.kb";
        ::mkdir(dir.c_str(), 0755);
        fd_ = ::open((dir + "/write.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ >= 0)
            while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
            }
    }
    ~RecordWriteLock()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    RecordWriteLock(const RecordWriteLock &) = delete;
    RecordWriteLock &operator=(const RecordWriteLock &) = delete;

private:
    int fd_ = -1;
};

} // namespace

bool Session::writeRecord(const std::string &relPath, const std::string &given, bool createOnly,
                          const std::string *expectedOld, std::string *error,
                          std::vector<Finding> *refusedBy)
{
    // Every change through kb says who made it (the key's bytes alone are touched).
    std::string content = given;
    if (!expectedOld || *expectedOld != given)
        if (const ParseResult p = parseRecord(relPath, given);
            p.record && p.record->span.present && p.record->value("updated_by") != actor().name) {
            std::string attributed, ignored;
            const FieldSpec *spec = nullptr;
            for (const FieldSpec &f : commonFields())
                if (f.name == "updated_by")
                    spec = &f;
            if (editRecordText(given, {{"updated_by", yamlScalarFor(spec, actor().name)}}, "",
                               &attributed, &ignored))
                content = std::move(attributed);
        }
    std::string abs;
    if (!resolveInsideRoot(root_, relPath, &abs, error))
        return false;
    // What is written must be what kb reads back: a record, within max_file_bytes.
    if (content.size() > root_.maxFileBytes) {
        *error = relPath + ": the record would be " + std::to_string(content.size()) +
                 " bytes, over the " + std::to_string(root_.maxFileBytes) +
                 "-byte limit (max_file_bytes in kb.yaml); nothing written";
        return false;
    }
    const ParseResult readBack = parseRecord(relPath, content);
    if (!readBack.record) {
        *error = (readBack.findings.empty() ? relPath + ": unreadable"
                                            : readBack.findings.front().toString()) +
                 " (in what would be written; nothing written)";
        return false;
    }
    if (!forceRuleErrors) {
        std::vector<Finding> refusing = ruleErrorsIntroduced(*readBack.record, expectedOld);
        if (!refusing.empty()) {
            const Finding &f = refusing.front();
            *error = f.toString() + " (a rule of its type; nothing written" +
                     (refusing.size() > 1 ? ", " + std::to_string(refusing.size() - 1) + " more"
                                          : std::string()) +
                     "; --force writes anyway)";
            if (refusedBy)
                *refusedBy = std::move(refusing);
            return false;
        }
    }
    // One writer at a time in a root, so "unchanged since read" still holds at the rename:
    // two edits of one file never both pass the check and lose one another.
    RecordWriteLock lock(root_.dir);
    if (expectedOld) {
        std::string now, readError;
        if (!readWholeFile(abs, &now, &readError) || now != *expectedOld) {
            *error = relPath + ": the file changed on disk since it was read; nothing written";
            return false;
        }
    }
    std::error_code ec;
    const std::string folder = std::filesystem::path(abs).parent_path().string();
    std::filesystem::create_directories(folder, ec);
    removeStaleTemporaries(folder);
    std::string before;
    const std::string *old = expectedOld;
    std::string unread;
    if (!old && !createOnly && readWholeFile(abs, &before, &unread))
        old = &before;
    if (!writeFileAtomically(abs, content, createOnly, error))
        return false;
    if (root_.gitHistory)
        recordHistory(*readBack.record, old);
    lastWritten_ = content;
    reindexFiles({relPath});
    return true;
}

GitHistory *Session::history(std::string *error)
{
    if (!history_ && historyError_.empty())
        history_ = GitHistory::open(root_.dir, &historyError_);
    if (!history_)
        *error = historyError_;
    return history_.get();
}

const Actor &Session::actor()
{
    if (!actor_)
        actor_ = cliActor(root_.dir.empty() ? cwd_ : root_.dir);
    return *actor_;
}

void Session::recordHistory(const Record &now, const std::string *oldContent)
{
    std::string error;
    GitHistory *history = this->history(&error);
    std::optional<ParseResult> then;
    if (oldContent)
        then = parseRecord(now.path, *oldContent);
    const Record *before = then && then->record ? &*then->record : nullptr;
    std::string message = describeChange(before, now);
    if (!nextNote_.empty()) {
        const std::size_t colon = message.find(": ");
        message = message.substr(0, colon + 2) + nextNote_ + " (" + message.substr(colon + 2) + ")";
        nextNote_.clear();
    }
    if (!history || !history->commitFile(now.path, now.text, actor(), message, &error))
        printErr("kb: warning: " + now.path +
                 " is saved but not committed to the history: " + error + "\n");
}

std::vector<Finding> Session::ruleErrorsIntroduced(const Record &now, const std::string *oldContent)
{
    std::vector<Finding> introduced;
    std::vector<Finding> before;
    if (oldContent)
        if (const ParseResult old = parseRecord(now.path, *oldContent); old.record)
            before = ruleFindings(*old.record);
    for (Finding &f : ruleFindings(now)) {
        const bool known = std::any_of(before.begin(), before.end(), [&](const Finding &b) {
            return b.field == f.field && b.message == f.message;
        });
        if (!f.warning && !known)
            introduced.push_back(std::move(f));
    }
    return introduced;
}

std::string Session::today() const
{
    if (const char *t = std::getenv("KB_TODAY"); t && *t)
        return t;
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &local);
    return buf;
}

} // namespace kb
