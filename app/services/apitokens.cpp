#include "services/apitokens.h"

#include "core/samesecret.h"
#include "services/privatejsonlist.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

namespace kb {

namespace {

std::string sha256Hex(const std::string &s)
{
    return QCryptographicHash::hash(QByteArray::fromStdString(s), QCryptographicHash::Sha256)
        .toHex()
        .toStdString();
}

std::string randomHex(int bytes)
{
    QByteArray raw(bytes, '\0');
    QRandomGenerator *rng = QRandomGenerator::system(); // the OS's CSPRNG
    for (char &c : raw)
        c = char(rng->bounded(256));
    return raw.toHex().toStdString();
}

} // namespace

ApiTokens::ApiTokens(std::string rootDir) : path_(std::move(rootDir) + "/.kb/tokens.json") {}

std::vector<ApiToken> ApiTokens::list(std::string *error) const
{
    std::vector<ApiToken> out;
    for (const QJsonValue &v : readPrivateJsonList(path_, "tokens", error)) {
        const QJsonObject o = v.toObject();
        ApiToken t;
        t.id = o.value("id").toString().toStdString();
        t.name = o.value("name").toString().toStdString();
        t.created = o.value("created").toString().toStdString();
        t.hash = o.value("sha256").toString().toStdString();
        for (const QJsonValue &g : o.value("groups").toArray())
            t.groups.push_back(g.toString().toStdString());
        if (!t.id.empty() && t.hash.size() == 64)
            out.push_back(std::move(t));
    }
    return out;
}

bool ApiTokens::save(const std::vector<ApiToken> &all, std::string *error) const
{
    QJsonArray arr;
    for (const ApiToken &t : all) {
        QJsonArray groups;
        for (const std::string &g : t.groups)
            groups.append(QString::fromStdString(g));
        arr.append(QJsonObject{{"id", QString::fromStdString(t.id)},
                               {"name", QString::fromStdString(t.name)},
                               {"groups", groups},
                               {"created", QString::fromStdString(t.created)},
                               {"sha256", QString::fromStdString(t.hash)}});
    }
    return writePrivateJsonList(path_, arr, error);
}

std::string ApiTokens::add(const std::string &name, const std::vector<std::string> &groups,
                           const std::string &today, std::string *error)
{
    std::vector<ApiToken> all = list(error);
    if (!error->empty())
        return {};
    const std::string token = "kbt_" + randomHex(32);
    ApiToken t;
    t.id = "tok-" + randomHex(4);
    t.name = name;
    t.groups = groups;
    t.created = today;
    t.hash = sha256Hex(token);
    all.push_back(t);
    return save(all, error) ? token : std::string();
}

bool ApiTokens::revoke(const std::string &id, std::string *error)
{
    std::vector<ApiToken> all = list(error);
    if (!error->empty())
        return false;
    const auto before = all.size();
    std::erase_if(all, [&](const ApiToken &t) { return t.id == id; });
    if (all.size() == before) {
        *error = "no token '" + id + "' (kb token list shows them)";
        return false;
    }
    return save(all, error);
}

std::optional<ApiToken> ApiTokens::find(const std::string &token) const
{
    std::string error;
    const std::string hash = sha256Hex(token);
    std::optional<ApiToken> found;
    for (const ApiToken &t : list(&error))
        if (sameSecret(hash, t.hash))
            found = t;
    return found;
}

} // namespace kb
