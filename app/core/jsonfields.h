#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kb {

// Reads one JSON object the way a strict configuration reader does: each key is asked
// for by name and type. A missing key takes the fallback; a key of the wrong type, or one
// nobody asked for (a misspelling), is a problem named by its path, "Fields[2].Required".
class JsonFields {
public:
    JsonFields(const QJsonObject &object, std::string path, std::vector<std::string> *problems);

    std::string text(std::string_view key);
    bool flag(std::string_view key, bool fallback);
    int integer(std::string_view key, int fallback);
    QJsonArray list(std::string_view key);
    // Any type: the caller checks it; the key counts as known.
    QJsonValue raw(std::string_view key);
    bool has(std::string_view key) const;

    std::string pathOf(std::string_view key) const;
    void problem(std::string_view key, const std::string &message);
    // Reports every key never asked for, with the nearest known one as a suggestion.
    void reportUnknownKeys();

    // "a string", "an array": how a problem names what it found.
    static std::string describe(const QJsonValue &v);

private:
    QJsonValue take(std::string_view key, QJsonValue::Type expected, const char *wanted);

    QJsonObject object_;
    std::string path_;
    std::vector<std::string> *problems_;
    std::set<std::string, std::less<>> asked_;
};

} // namespace kb
