#include "services/useraccounts.h"

#include "services/privatejsonlist.h"

#include <sodium.h>

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace kb {

namespace {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

// Interactive cost (64 MiB, 2 passes): about 0.1 s per sign-in on this class of machine,
// libsodium's recommendation for online logins.
std::string hashPassword(const std::string &password, std::string *error)
{
    char out[crypto_pwhash_STRBYTES];
    if (!sodiumReady() || crypto_pwhash_str_alg(out, password.data(), password.size(),
                                                crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                                crypto_pwhash_ALG_ARGON2ID13) != 0) {
        *error = "cannot hash the password (out of memory?)";
        return {};
    }
    return out;
}

} // namespace

UserAccounts::UserAccounts(std::string rootDir) : path_(std::move(rootDir) + "/.kb/users.json") {}

std::string UserAccounts::passwordProblem(const std::string &password)
{
    if (password.size() < 8)
        return "a password needs at least 8 characters";
    if (password.size() > 1024)
        return "a password may have at most 1024 bytes";
    return {};
}

std::string UserAccounts::nameProblem(const std::string &name)
{
    const QString n = QString::fromStdString(name);
    if (n.trimmed().isEmpty())
        return "a user name cannot be blank";
    if (name.size() > 100)
        return "a user name may have at most 100 bytes";
    if (n.toUtf8().toStdString() != name)
        return "a user name must be valid UTF-8";
    // A name is an author in every record and commit: nothing invisible or look-alike
    // (zero-width and other format characters, odd spaces), and nothing a URL or a
    // path treats specially, so /api/users/NAME needs no escaping.
    for (const QChar c : n) {
        const QChar::Category cat = c.category();
        const bool invisible = cat == QChar::Other_Control || cat == QChar::Other_Format ||
                               cat == QChar::Other_NotAssigned || cat == QChar::Other_PrivateUse ||
                               cat == QChar::Separator_Space || cat == QChar::Separator_Line ||
                               cat == QChar::Separator_Paragraph;
        if (invisible)
            return "a user name has no spaces, control or invisible characters";
        if (QStringLiteral(",/\\?#%&:;\"'<>`").contains(c))
            return "a user name has only letters, digits and . _ - @ (no " +
                   QString(c).toStdString() + ")";
    }
    if (n.startsWith('.') || n.startsWith('-'))
        return "a user name does not start with '.' or '-'";
    return {};
}

std::vector<UserAccount> UserAccounts::list(std::string *error) const
{
    std::vector<UserAccount> out;
    for (const QJsonValue &v : readPrivateJsonList(path_, "accounts", error)) {
        const QJsonObject o = v.toObject();
        UserAccount a;
        a.name = o.value("name").toString().toStdString();
        a.created = o.value("created").toString().toStdString();
        a.hash = o.value("argon2id").toString().toStdString();
        for (const QJsonValue &g : o.value("groups").toArray())
            a.groups.push_back(g.toString().toStdString());
        if (!a.name.empty() && a.hash.rfind("$argon2id$", 0) == 0)
            out.push_back(std::move(a));
    }
    return out;
}

bool UserAccounts::save(const std::vector<UserAccount> &all, std::string *error) const
{
    QJsonArray arr;
    for (const UserAccount &a : all) {
        QJsonArray groups;
        for (const std::string &g : a.groups)
            groups.append(QString::fromStdString(g));
        arr.append(QJsonObject{{"name", QString::fromStdString(a.name)},
                               {"groups", groups},
                               {"created", QString::fromStdString(a.created)},
                               {"argon2id", QString::fromStdString(a.hash)}});
    }
    return writePrivateJsonList(path_, arr, error);
}

bool UserAccounts::add(const std::string &name, const std::string &password,
                       const std::vector<std::string> &groups, const std::string &today,
                       std::string *error)
{
    if (std::string why = nameProblem(name); !why.empty()) {
        *error = why;
        return false;
    }
    if (std::string why = passwordProblem(password); !why.empty()) {
        *error = why;
        return false;
    }
    std::vector<UserAccount> all = list(error);
    if (!error->empty())
        return false;
    // WANG beside wang would pass for him in every history.
    const QString folded = QString::fromStdString(name).toCaseFolded();
    if (const auto same = std::find_if(all.begin(), all.end(),
                                       [&](const UserAccount &a) {
                                           return QString::fromStdString(a.name).toCaseFolded() ==
                                                  folded;
                                       });
        same != all.end()) {
        *error = "there is already a user '" + same->name + "'";
        return false;
    }
    UserAccount a{name, groups, today, hashPassword(password, error)};
    if (a.hash.empty())
        return false;
    all.push_back(std::move(a));
    return save(all, error);
}

bool UserAccounts::setPassword(const std::string &name, const std::string &password,
                               std::string *error)
{
    if (std::string why = passwordProblem(password); !why.empty()) {
        *error = why;
        return false;
    }
    std::vector<UserAccount> all = list(error);
    if (!error->empty())
        return false;
    for (UserAccount &a : all)
        if (a.name == name) {
            a.hash = hashPassword(password, error);
            return !a.hash.empty() && save(all, error);
        }
    *error = "no user '" + name + "'";
    return false;
}

bool UserAccounts::setGroups(const std::string &name, const std::vector<std::string> &groups,
                             std::string *error)
{
    std::vector<UserAccount> all = list(error);
    if (!error->empty())
        return false;
    for (UserAccount &a : all)
        if (a.name == name) {
            a.groups = groups;
            return save(all, error);
        }
    *error = "no user '" + name + "'";
    return false;
}

bool UserAccounts::remove(const std::string &name, std::string *error)
{
    std::vector<UserAccount> all = list(error);
    if (!error->empty())
        return false;
    const auto before = all.size();
    std::erase_if(all, [&](const UserAccount &a) { return a.name == name; });
    if (all.size() == before) {
        *error = "no user '" + name + "'";
        return false;
    }
    return save(all, error);
}

std::optional<UserAccount> UserAccounts::verify(const std::string &name,
                                                const std::string &password) const
{
    if (!sodiumReady() || password.size() > 1024)
        return std::nullopt;
    std::string error;
    const std::vector<UserAccount> all = list(&error);
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const UserAccount &a) { return a.name == name; });
    // A name nobody has costs the same hash as one that exists: timing tells no names.
    static const std::string dummy = [] {
        std::string e;
        return hashPassword("not a password of anyone's", &e);
    }();
    const std::string &hash = it == all.end() ? dummy : it->hash;
    const bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    if (!ok || it == all.end())
        return std::nullopt;
    return *it;
}

} // namespace kb
