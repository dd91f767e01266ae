#include "web/signins.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QRandomGenerator>

#include <sys/stat.h>

#include <algorithm>

namespace kb::web {

namespace {

std::string sha256(const std::string &s)
{
    return QCryptographicHash::hash(QByteArray::fromStdString(s), QCryptographicHash::Sha256)
        .toStdString();
}

std::string randomId()
{
    QByteArray raw(32, '\0');
    QRandomGenerator *rng = QRandomGenerator::system(); // the OS's CSPRNG
    for (char &c : raw)
        c = char(rng->bounded(256));
    return raw.toHex().toStdString();
}

// The three counters a failed sign-in adds to (see kFailuresPer...), and their limits.
struct FailureKey {
    std::string key;
    int limit;
};
std::vector<FailureKey> failureKeys(const std::string &name, const std::string &address)
{
    return {{"p:" + name + '\n' + address, SignIns::kFailuresPerNameAndAddress},
            {"a:" + address, SignIns::kFailuresPerAddress},
            {"n:" + name, SignIns::kFailuresPerName}};
}

const UserAccount *named(const std::vector<UserAccount> &all, const std::string &name)
{
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const UserAccount &a) { return a.name == name; });
    return it == all.end() ? nullptr : &*it;
}

} // namespace

SignIns::SignIns(std::string rootDir, unsigned timeoutSeconds)
    : store_(std::move(rootDir)), timeout_(timeoutSeconds)
{
}

std::shared_ptr<const std::vector<UserAccount>> SignIns::accounts()
{
    struct stat st {};
    const std::string stamp =
        stat(store_.path().c_str(), &st) == 0
            ? std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
                  std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ino)
            : std::string("none");
    std::lock_guard lock(mutex_);
    if (!accounts_ || stamp != accountsStamp_) {
        std::string error;
        auto fresh = std::make_shared<const std::vector<UserAccount>>(store_.list(&error));
        // A new password (kb user passwd, the accounts page) lifts the locks on its name:
        // how an administrator lets a person back in after a stranger's guesses.
        if (accounts_)
            for (const UserAccount &a : *fresh)
                if (const UserAccount *before = named(*accounts_, a.name);
                    before && before->hash != a.hash)
                    std::erase_if(failures_, [&](const auto &f) {
                        return f.first == "n:" + a.name ||
                               f.first.rfind("p:" + a.name + '\n', 0) == 0;
                    });
        accounts_ = std::move(fresh);
        accountsStamp_ = stamp;
    }
    return accounts_;
}

bool SignIns::accountsExist()
{
    return !accounts()->empty();
}

std::optional<SignIns::Person> SignIns::find(const std::string &sessionId)
{
    if (sessionId.size() != 64)
        return std::nullopt;
    const auto all = accounts();
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(sha256(sessionId));
    if (it == sessions_.end())
        return std::nullopt;
    const UserAccount *account = named(*all, it->second.name);
    if (Clock::now() >= it->second.ends || !account || account->hash != it->second.accountHash) {
        sessions_.erase(it); // expired, removed, or the password changed since
        return std::nullopt;
    }
    return Person{account->name, account->groups};
}

unsigned SignIns::limitedFor(const std::string &key, int limit, Clock::time_point now)
{
    const auto it = failures_.find(key);
    if (it == failures_.end())
        return 0;
    std::deque<Clock::time_point> &times = it->second;
    while (!times.empty() && now - times.front() >= kWindow)
        times.pop_front();
    if (times.empty()) {
        failures_.erase(it);
        return 0;
    }
    if (int(times.size()) < limit)
        return 0;
    const auto wait =
        std::chrono::duration_cast<std::chrono::seconds>(times.front() + kWindow - now);
    return unsigned(std::max<long long>(1, wait.count()));
}

void SignIns::failed(const std::string &key, Clock::time_point now)
{
    // Bounded: a flood of made-up names forgets the oldest rather than growing for ever.
    if (failures_.size() > 100000)
        failures_.clear();
    failures_[key].push_back(now);
}

SignIns::Attempt SignIns::signIn(const std::string &name, const std::string &password,
                                 const std::string &address)
{
    Attempt a = checkPassword(name, password, address);
    if (a.status == 200) {
        a.sessionId = open(name);
        if (a.sessionId.empty()) { // removed between the check and now
            a.status = 401;
            a.message = "the name or the password is wrong";
        }
    }
    return a;
}

SignIns::Attempt SignIns::checkPassword(const std::string &name, const std::string &password,
                                        const std::string &address)
{
    Attempt a;
    const Clock::time_point now = Clock::now();
    accounts(); // a password changed since: its locks are lifted before they are checked
    {
        std::lock_guard lock(mutex_);
        unsigned wait = 0;
        for (const FailureKey &k : failureKeys(name, address))
            wait = std::max(wait, limitedFor(k.key, k.limit, now));
        if (wait > 0) {
            a.status = 429;
            a.retryAfter = wait;
            a.message = "too many failed sign-ins; try again in " + std::to_string(wait / 60 + 1) +
                        " minutes";
            return a;
        }
    }
    // The hash takes a tenth of a second and 64 MiB: outside the lock.
    const std::optional<UserAccount> account = store_.verify(name, password);
    std::lock_guard lock(mutex_);
    if (!account) {
        for (const FailureKey &k : failureKeys(name, address))
            failed(k.key, now);
        a.status = 401;
        a.message = "the name or the password is wrong";
        return a;
    }
    failures_.erase(failureKeys(name, address)[0].key);
    a.status = 200;
    return a;
}

std::string SignIns::open(const std::string &name)
{
    const auto all = accounts();
    const UserAccount *account = named(*all, name);
    if (!account)
        return {};
    std::lock_guard lock(mutex_);
    return openFor(*account, Clock::now());
}

std::string SignIns::openFor(const UserAccount &account, Clock::time_point now)
{
    // Sessions that ended are dropped here, so the map holds only live ones.
    std::erase_if(sessions_, [&](const auto &s) { return now >= s.second.ends; });
    const std::string id = randomId();
    sessions_[sha256(id)] =
        Session{account.name, account.hash, now + std::chrono::seconds(timeout_)};
    return id;
}

std::map<std::string, int> SignIns::openSessions()
{
    const auto all = accounts();
    const Clock::time_point now = Clock::now();
    std::map<std::string, int> out;
    std::lock_guard lock(mutex_);
    for (const auto &[key, session] : sessions_) {
        const UserAccount *account = named(*all, session.name);
        if (now < session.ends && account && account->hash == session.accountHash)
            ++out[session.name];
    }
    return out;
}

void SignIns::signOut(const std::string &sessionId)
{
    std::lock_guard lock(mutex_);
    sessions_.erase(sha256(sessionId));
}

} // namespace kb::web
