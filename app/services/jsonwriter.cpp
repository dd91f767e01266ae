#include "services/jsonwriter.h"

#include "indexer/utf8.h"

#include <charconv>
#include <cmath>

namespace kb {

namespace {

void appendEscaped(std::string &out, std::string_view text)
{
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const std::size_t start = i;
            search::decodeUtf8(text, i);
            if (i - start == 1)
                out += "\xEF\xBF\xBD"; // an invalid byte: U+FFFD
            else
                out.append(text.substr(start, i - start));
            continue;
        }
        ++i;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (c < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += char(c);
            }
        }
    }
    out += '"';
}

// to_chars, not printf: it ignores the locale Qt sets (a decimal comma is not JSON), and
// gives the shortest form that reads back exactly.
template <class Number> void appendNumber(std::string &out, Number number)
{
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
    out.append(buffer, result.ptr);
}

} // namespace

void JsonWriter::beforeValue()
{
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (!hasItems_.empty()) {
        if (hasItems_.back())
            out_ += ',';
        hasItems_.back() = true;
    }
}

JsonWriter &JsonWriter::open(char bracket)
{
    beforeValue();
    out_ += bracket;
    hasItems_.push_back(false);
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    out_ += bracket;
    hasItems_.pop_back();
    return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
    beforeValue();
    appendEscaped(out_, name);
    out_ += ':';
    afterKey_ = true;
    return *this;
}

JsonWriter &JsonWriter::value(std::string_view text)
{
    beforeValue();
    appendEscaped(out_, text);
    return *this;
}

JsonWriter &JsonWriter::value(long long number)
{
    beforeValue();
    appendNumber(out_, number);
    return *this;
}

JsonWriter &JsonWriter::value(double number)
{
    beforeValue();
    if (std::isfinite(number))
        appendNumber(out_, number);
    else
        out_ += "null";
    return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
    beforeValue();
    out_ += flag ? "true" : "false";
    return *this;
}

} // namespace kb
