#include "core/jsonfields.h"

#include "core/nearestname.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace kb {
namespace {

QString qkey(std::string_view key)
{
    return QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()));
}

} // namespace

JsonFields::JsonFields(const QJsonObject &object, std::string path,
                       std::vector<std::string> *problems)
    : object_(object), path_(std::move(path)), problems_(problems)
{
}

std::string JsonFields::describe(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return "null";
    case QJsonValue::Bool:
        return v.toBool() ? "true" : "false";
    case QJsonValue::Double:
        return "the number " + QString::number(v.toDouble()).toStdString();
    case QJsonValue::String:
        return "the string \"" + v.toString().left(40).toStdString() + "\"";
    case QJsonValue::Array:
        return "an array";
    case QJsonValue::Object:
        return "an object";
    case QJsonValue::Undefined:
        break;
    }
    return "nothing";
}

std::string JsonFields::pathOf(std::string_view key) const
{
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonFields::problem(std::string_view key, const std::string &message)
{
    problems_->push_back(pathOf(key) + ": " + message);
}

bool JsonFields::has(std::string_view key) const
{
    return object_.contains(qkey(key));
}

QJsonValue JsonFields::take(std::string_view key, QJsonValue::Type expected, const char *wanted)
{
    asked_.emplace(key);
    const QJsonValue v = object_.value(qkey(key));
    if (v.isUndefined())
        return v;
    if (v.type() != expected) {
        problem(key, std::string("must be ") + wanted + ", found " + describe(v));
        return QJsonValue(QJsonValue::Undefined);
    }
    return v;
}

std::string JsonFields::text(std::string_view key)
{
    return take(key, QJsonValue::String, "a string").toString().toStdString();
}

bool JsonFields::flag(std::string_view key, bool fallback)
{
    const QJsonValue v = take(key, QJsonValue::Bool, "true or false");
    return v.isBool() ? v.toBool() : fallback;
}

int JsonFields::integer(std::string_view key, int fallback)
{
    const QJsonValue v = take(key, QJsonValue::Double, "a whole number");
    if (!v.isDouble())
        return fallback;
    const double d = v.toDouble();
    if (d != std::floor(d) || std::abs(d) > 1e9) {
        problem(key, "must be a whole number, found " + describe(v));
        return fallback;
    }
    return static_cast<int>(d);
}

QJsonArray JsonFields::list(std::string_view key)
{
    return take(key, QJsonValue::Array, "an array").toArray();
}

QJsonValue JsonFields::raw(std::string_view key)
{
    asked_.emplace(key);
    return object_.value(qkey(key));
}

void JsonFields::reportUnknownKeys()
{
    for (auto it = object_.begin(); it != object_.end(); ++it) {
        const std::string key = it.key().toStdString();
        if (asked_.count(key))
            continue;
        std::string message = "unknown key";
        const std::string best = nearestName(key, {asked_.begin(), asked_.end()});
        if (!best.empty())
            message += " (did you mean \"" + best + "\"?)";
        else {
            message += "; known keys here:";
            for (const std::string &known : asked_)
                message += " " + known;
        }
        problem(key, message);
    }
}

} // namespace kb
