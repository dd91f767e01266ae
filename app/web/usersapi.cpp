#include "web/usersapi.h"

#include "web/requestguard.h"
#include "web/requestvalues.h"
#include "web/serveconfig.h"
#include "web/signins.h"

#include <QDate>
#include <QJsonArray>

#include <algorithm>

namespace kb::web {

namespace {

QJsonArray jsonStrings(const std::vector<std::string> &list)
{
    QJsonArray out;
    for (const std::string &s : list)
        out.append(QString::fromStdString(s));
    return out;
}

// The group names kb.yaml gives rights to; empty when it names none (then any will do).
std::vector<std::string> configuredGroups(const ServeConfig &c)
{
    std::vector<std::string> out;
    for (const auto &[group, rights] : c.groupRights)
        if (group != "everyone")
            out.push_back(group);
    if (!c.groupRightsGiven)
        for (const auto *legacy : {&c.restrictedGroups, &c.writerGroups})
            for (const std::string &g : *legacy)
                if (std::find(out.begin(), out.end(), g) == out.end())
                    out.push_back(g);
    return out;
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
    const std::vector<std::string> known = configuredGroups(config_);
    for (const QJsonValue &g : v.toArray()) {
        const std::string name = g.toString().trimmed().toStdString();
        if (name.empty() || name.find(',') != std::string::npos) {
            *refusal = ApiResponse::error(422, "a group name is a non-empty word without commas");
            return false;
        }
        // A typo would give the person no rights and no one would know why.
        if (!known.empty() && std::find(known.begin(), known.end(), name) == known.end()) {
            std::string list;
            for (const std::string &k : known)
                list += (list.empty() ? "" : ", ") + k;
            *refusal = ApiResponse::error(422, "kb.yaml names no group '" + name +
                                                   "' (serve: groups has " + list + ")");
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
        QJsonObject{{"users", users}, {"groups", jsonStrings(configuredGroups(config_))}});
}

ApiResponse UsersApi::create(const QByteArray &body, const Access &a)
{
    if (ApiResponse r = refusedUnlessManager(a); r.status)
        return r;
    QJsonObject in;
    std::string error;
    if (!parseObject(body, &in, &error))
        return ApiResponse::error(400, error);
    const std::string name = in.value("name").toString().trimmed().toStdString();
    std::vector<std::string> groups;
    ApiResponse refusal;
    if (!readGroups(in, &groups, &refusal))
        return refusal;
    std::lock_guard lock(mutex_);
    if (!store_.add(name, in.value("password").toString().toStdString(), groups,
                    QDate::currentDate().toString(Qt::ISODate).toStdString(), &error))
        return failure(error);
    return ApiResponse::json(
        QJsonObject{{"name", QString::fromStdString(name)}, {"groups", jsonStrings(groups)}}, 201);
}

ApiResponse UsersApi::update(const std::string &name, const QByteArray &body, const Access &a)
{
    if (ApiResponse r = refusedUnlessManager(a); r.status)
        return r;
    QJsonObject in;
    std::string error;
    if (!parseObject(body, &in, &error))
        return ApiResponse::error(400, error);
    if (!in.contains("groups") && !in.contains("password"))
        return ApiResponse::error(422, "nothing to change: give groups, password or both");
    std::vector<std::string> groups;
    ApiResponse refusal;
    if (!readGroups(in, &groups, &refusal))
        return refusal;
    const std::string password = in.value("password").toString().toStdString();
    if (in.contains("password"))
        if (std::string why = UserAccounts::passwordProblem(password); !why.empty())
            return ApiResponse::error(422, why);
    std::lock_guard lock(mutex_);
    if (in.contains("groups") && !store_.setGroups(name, groups, &error))
        return failure(error);
    if (in.contains("password") && !store_.setPassword(name, password, &error))
        return failure(error);
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
    *sessionId = signIns_.open(a.user);
    return ApiResponse::json(
        QJsonObject{{"name", QString::fromStdString(a.user)}, {"changed", QJsonArray{"password"}}});
}

} // namespace kb::web
