#include "web/usersapi.h"

#include "web/requestguard.h"
#include "web/requestvalues.h"
#include "web/signins.h"

#include "core/displaytext.h"
#include "services/serveconfig.h"

#include <QDate>
#include <QJsonArray>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace kb::web {

namespace {

QJsonArray jsonStrings(const std::vector<std::string> &list)
{
    QJsonArray out;
    for (const std::string &s : list)
        out.append(QString::fromStdString(s));
    return out;
}

// A key the request may not carry ("group" for "groups"): said, not silently ignored.
std::string unknownKey(const QJsonObject &in, std::initializer_list<const char *> allowed)
{
    for (const QString &key : in.keys())
        if (std::none_of(allowed.begin(), allowed.end(),
                         [&](const char *k) { return key == QLatin1String(k); })) {
            std::string list;
            for (const char *k : allowed)
                list += std::string(list.empty() ? "" : ", ") + k;
            return "unknown key '" + displayLine(key.toStdString()) + "' (this takes " + list + ")";
        }
    return {};
}

// Who changed which account, for the server's log: account changes are rare and matter.
void audit(const Access &a, const std::string &what)
{
    std::fprintf(stderr, "kb serve: %s by %s\n", displayLine(what).c_str(),
                 a.user.empty() ? "the token holder" : ("'" + displayLine(a.user) + "'").c_str());
}

// A request body: one JSON object carrying only the keys given; else the answer to send.
std::optional<ApiResponse> readRequest(const QByteArray &body,
                                       std::initializer_list<const char *> allowed, QJsonObject *in)
{
    std::string error;
    if (!parseObject(body, in, &error))
        return ApiResponse::error(400, error);
    if (std::string why = unknownKey(*in, allowed); !why.empty())
        return ApiResponse::error(422, why);
    return std::nullopt;
}

ApiResponse failure(const std::string &error)
{
    // The store's messages for a name nobody has start "no user"; the rest are the
    // input's fault (a short password, a taken name) or the disk's.
    if (error.rfind("no user '", 0) == 0)
        return ApiResponse::error(404, error);
    if (error.find(": cannot") != std::string::npos ||
        error.find("not a list") != std::string::npos)
        return ApiResponse::error(500, error);
    return ApiResponse::error(422, error);
}

} // namespace

UsersApi::UsersApi(std::string rootDir, SignIns &signIns, const ServeConfig &config)
    : store_(std::move(rootDir)), signIns_(signIns), config_(config)
{
}

ApiResponse UsersApi::refusedUnlessManager(const Access &a) const
{
    if (a.rights.users)
        return ApiResponse{0, {}, {}};
    if (a.user.empty())
        return ApiResponse::error(401, "managing accounts needs you to sign in");
    return ApiResponse::error(403, "'" + a.user +
                                       "' may not manage accounts (the users right, serve: "
                                       "groups in kb.yaml)");
}

bool UsersApi::readGroups(const QJsonObject &in, std::vector<std::string> *groups,
                          ApiResponse *refusal) const
{
    const QJsonValue v = in.value("groups");
    if (!v.isArray() && !v.isUndefined()) {
        *refusal = ApiResponse::error(422, "groups must be a list of group names");
        return false;
    }
    for (const QJsonValue &g : v.toArray()) {
        const std::string name = g.toString().trimmed().toStdString();
        if (name.empty() || name.find(',') != std::string::npos) {
            *refusal = ApiResponse::error(422, "a group name is a non-empty word without commas");
            return false;
        }
        if (std::string why = config_.unknownGroupProblem({name}); !why.empty()) {
            *refusal = ApiResponse::error(422, why);
            return false;
        }
        if (std::find(groups->begin(), groups->end(), name) == groups->end())
            groups->push_back(name);
    }
    return true;
}

ApiResponse UsersApi::list(const Access &a)
{
    if (ApiResponse r = refusedUnlessManager(a); r.status)
        return r;
    std::string error;
    const std::vector<UserAccount> all = store_.list(&error);
    if (!error.empty())
        return ApiResponse::error(500, error);
    const std::map<std::string, int> sessions = signIns_.openSessions();
    QJsonArray users;
    for (const UserAccount &u : all) {
        const auto open = sessions.find(u.name);
        users.append(QJsonObject{
            {"name", QString::fromStdString(u.name)},
            {"groups", jsonStrings(u.groups)},
            {"created", QString::fromStdString(u.created)},
            {"rights", jsonStrings(rightsOf(config_, u.groups).granted())},
            {"sessions", open == sessions.end() ? 0 : open->second},
        });
    }
    return ApiResponse::json(
        QJsonObject{{"users", users}, {"groups", jsonStrings(config_.groupNames())}});
}

ApiResponse UsersApi::create(const QByteArray &body, const Access &a)
{
    if (ApiResponse r = refusedUnlessManager(a); r.status)
        return r;
    QJsonObject in;
    if (auto refused = readRequest(body, {"name", "password", "groups"}, &in))
        return *refused;
    std::string error;
    const std::string name = in.value("name").toString().toStdString();
    std::vector<std::string> groups;
    ApiResponse refusal;
    if (!readGroups(in, &groups, &refusal))
        return refusal;
    std::lock_guard lock(mutex_);
    // Once an account exists loopback is no one special: a first account that may not
    // manage accounts would lock its maker out of this page.
    if (a.user.empty() && !rightsOf(config_, groups).users) {
        std::string none;
        if (store_.list(&none).empty())
            return ApiResponse::error(
                409, "the first account needs a group with the users right (serve: groups in "
                     "kb.yaml): once an account exists, everyone must sign in, you too");
    }
    if (!store_.add(name, in.value("password").toString().toStdString(), groups,
                    QDate::currentDate().toString(Qt::ISODate).toStdString(), &error))
        return failure(error);
    audit(a, "account '" + name + "' added");
    return ApiResponse::json(
        QJsonObject{{"name", QString::fromStdString(name)}, {"groups", jsonStrings(groups)}}, 201);
}

ApiResponse UsersApi::update(const std::string &name, const QByteArray &body, const Access &a)
{
    if (ApiResponse r = refusedUnlessManager(a); r.status)
        return r;
    QJsonObject in;
    if (auto refused = readRequest(body, {"groups", "password"}, &in))
        return *refused;
    std::string error;
    if (!in.contains("groups") && !in.contains("password"))
        return ApiResponse::error(422, "nothing to change: give groups, password or both");
    std::vector<std::string> groups;
    ApiResponse refusal;
    if (!readGroups(in, &groups, &refusal))
        return refusal;
    // As with removing oneself: the last manager must not lock everyone out by a click.
    if (in.contains("groups") && name == a.user && !rightsOf(config_, groups).users)
        return ApiResponse::error(
            409, "these groups would take the users right from you; someone else with it can "
                 "change your groups, or `kb user groups` on the server");
    const std::string password = in.value("password").toString().toStdString();
    if (in.contains("password"))
        if (std::string why = UserAccounts::passwordProblem(password); !why.empty())
            return ApiResponse::error(422, why);
    std::lock_guard lock(mutex_);
    if (in.contains("groups") && !store_.setGroups(name, groups, &error))
        return failure(error);
    if (in.contains("password") && !store_.setPassword(name, password, &error))
        return failure(error);
    audit(a, "account '" + name + "': " +
                 (in.contains("groups") && in.contains("password") ? "groups and password"
                  : in.contains("groups")                          ? "groups"
                                                                   : "password") +
                 " changed");
    return ApiResponse::json(
        QJsonObject{{"name", QString::fromStdString(name)}, {"changed", jsonStrings([&] {
                                                                 std::vector<std::string> what;
                                                                 if (in.contains("groups"))
                                                                     what.push_back("groups");
                                                                 if (in.contains("password"))
                                                                     what.push_back("password");
                                                                 return what;
                                                             }())}});
}

ApiResponse UsersApi::remove(const std::string &name, const Access &a)
{
    if (ApiResponse r = refusedUnlessManager(a); r.status)
        return r;
    // The last manager locking everyone out is a mistake only `kb user` could undo.
    if (name == a.user)
        return ApiResponse::error(
            409, "you cannot remove your own account here; someone else with the users right "
                 "can, or `kb user remove` on the server");
    std::string error;
    std::lock_guard lock(mutex_);
    if (!store_.remove(name, &error))
        return failure(error);
    audit(a, "account '" + name + "' removed");
    return ApiResponse::json(QJsonObject{{"removed", QString::fromStdString(name)}});
}

ApiResponse UsersApi::changeOwnPassword(const QByteArray &body, const Access &a,
                                        const std::string &address, std::string *sessionId)
{
    if (a.user.empty())
        return ApiResponse::error(401, "changing your password needs you to sign in");
    QJsonObject in;
    std::string error;
    if (!parseObject(body, &in, &error))
        return ApiResponse::error(400, error);
    const std::string current = in.value("current").toString().toStdString();
    const std::string password = in.value("password").toString().toStdString();
    if (std::string why = UserAccounts::passwordProblem(password); !why.empty())
        return ApiResponse::error(422, why);
    // A left-open browser must not be enough to take over the account.
    const SignIns::Attempt check = signIns_.checkPassword(a.user, current, address);
    if (check.status == 429)
        return ApiResponse::error(429, check.message);
    if (check.status != 200)
        return ApiResponse::error(403, "the current password is wrong (or '" + a.user +
                                           "' is no local account)");
    std::lock_guard lock(mutex_);
    if (!store_.setPassword(a.user, password, &error))
        return failure(error);
    audit(a, "own password changed");
    *sessionId = signIns_.open(a.user);
    return ApiResponse::json(
        QJsonObject{{"name", QString::fromStdString(a.user)}, {"changed", QJsonArray{"password"}}});
}

} // namespace kb::web
