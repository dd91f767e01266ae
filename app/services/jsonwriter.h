#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb {

// Writes compact JSON straight into a string. The search answer is the one response built
// on every request of kb serve, and building it as QJsonObject maps took 18 % of a
// request's time under load; this writes the same document in one pass. Strings are
// written as UTF-8, with invalid bytes replaced by U+FFFD, as Qt does.
class JsonWriter {
public:
    JsonWriter &beginObject() { return open('{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray() { return open('['); }
    JsonWriter &endArray() { return close(']'); }
    JsonWriter &key(std::string_view name); // the next value belongs to it

    JsonWriter &value(std::string_view text);
    JsonWriter &value(const char *text) { return value(std::string_view(text)); }
    JsonWriter &value(long long number);
    JsonWriter &value(int number) { return value(static_cast<long long>(number)); }
    JsonWriter &value(long number) { return value(static_cast<long long>(number)); }
    JsonWriter &value(double number); // shortest exact form; NaN and infinities as null
    JsonWriter &value(bool flag);

    template <class T> JsonWriter &field(std::string_view name, const T &v)
    {
        return key(name).value(v);
    }

    const std::string &text() const { return out_; }

private:
    JsonWriter &open(char bracket);
    JsonWriter &close(char bracket);
    void beforeValue();

    std::string out_;
    std::vector<bool> hasItems_; // per open object or array
    bool afterKey_ = false;
};

} // namespace kb
