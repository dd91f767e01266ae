// libFuzzer harness: editing a record's text keeps every promise of editRecordText.
//
// Input: RECORD TEXT, then optionally a NUL byte and an edit spec, one item per line:
//   key=value        set `key` to the scalar `value`        (serialised with yamlScalar)
//   key[]=a|b|c      set `key` to the list [a, b, c]        (serialised with yamlFlowList;
//                    `key[]=` is the empty list)
//   +markdown        append a line of Markdown to the body
// Keys, values and Markdown take the escapes \n \r \t \0 \\ \= \| \xHH (so control bytes and
// NUL reach the serialisers). Lines of any other shape are ignored.
//
// The oracle, when the original text reads as a record and editRecordText succeeds:
//   (i)   proveRecordEdit agrees (for an edit that changed the bytes);
//   (ii)  the new text reads as a record;
//   (iii) every key not set keeps its FieldValue (kind, scalar, items); every set key reads
//         back as the value given; no other key appears or vanishes; the body is the old
//         one, or starts with it when Markdown was appended.
// When editRecordText fails, `out` is untouched and the reason is not empty.
// A broken promise prints what broke to stderr and aborts.
#include "core/editproof.h"
#include "core/frontmatter.h"
#include "core/record.h"
#include "core/recordedit.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

struct Wanted {
    bool list = false;
    std::string scalar;
    std::vector<std::string> items;
};

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Where the first `c` not preceded by a backslash escape is, or npos.
std::size_t findUnescaped(std::string_view s, char c)
{
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == c)
            return i;
    }
    return std::string_view::npos;
}

// Splits `s` at every unescaped `sep` (none when sep < 0) and resolves the escapes.
std::vector<std::string> splitUnescape(std::string_view s, int sep = -1)
{
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\\' && i + 1 < s.size()) {
            const char e = s[++i];
            switch (e) {
            case 'n':
                out.back() += '\n';
                break;
            case 'r':
                out.back() += '\r';
                break;
            case 't':
                out.back() += '\t';
                break;
            case '0':
                out.back() += '\0';
                break;
            case 'x':
                if (i + 2 < s.size() && hexDigit(s[i + 1]) >= 0 && hexDigit(s[i + 2]) >= 0) {
                    out.back() += static_cast<char>(hexDigit(s[i + 1]) * 16 + hexDigit(s[i + 2]));
                    i += 2;
                } else {
                    out.back() += 'x';
                }
                break;
            default:
                out.back() += e;
                break; // \\ \= \| and anything else: the character
            }
            continue;
        }
        if (sep >= 0 && c == static_cast<char>(sep)) {
            out.emplace_back();
            continue;
        }
        out.back() += c;
    }
    return out;
}

std::string escaped(std::string_view s)
{
    static const char *hex = "0123456789abcdef";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7F || c == '"') {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else
            out += ch;
    }
    return out;
}

std::string describe(const kb::FieldValue &v)
{
    static const char *kinds[] = {"null", "scalar", "list", "nested"};
    std::string out = kinds[static_cast<int>(v.kind)];
    if (v.kind == kb::FieldValue::Kind::Scalar)
        out += " \"" + escaped(v.scalar) + "\"";
    if (v.kind == kb::FieldValue::Kind::List) {
        out += " [";
        for (std::size_t i = 0; i < v.items.size(); ++i)
            out += (i ? ", \"" : "\"") + escaped(v.items[i]) + "\"";
        out += "]";
    }
    return out;
}

[[noreturn]] void violation(const std::string &what, const std::string &text,
                            const std::vector<std::pair<std::string, std::string>> &sets,
                            const std::string &append, const std::string &out)
{
    std::fprintf(stderr, "\n==== fuzz_record_edit: ORACLE VIOLATION: %s\n", what.c_str());
    std::fprintf(stderr, "text:   \"%s\"\n", escaped(text).c_str());
    for (const auto &[k, v] : sets)
        std::fprintf(stderr, "set:    \"%s\" -> \"%s\"\n", escaped(k).c_str(), escaped(v).c_str());
    std::fprintf(stderr, "append: \"%s\"\n", escaped(append).c_str());
    std::fprintf(stderr, "out:    \"%s\"\n", escaped(out).c_str());
    std::fflush(stderr);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string input(reinterpret_cast<const char *>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string text = input.substr(0, nul);
    const std::string_view spec =
        nul == std::string::npos ? std::string_view() : std::string_view(input).substr(nul + 1);

    std::vector<std::pair<std::string, std::string>> sets;
    std::map<std::string, Wanted> wanted; // the last set of a key wins, as in the proof
    std::string append;
    std::size_t pos = 0;
    while (pos < spec.size()) {
        std::size_t nl = spec.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = spec.size();
        const std::string_view line = spec.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.empty())
            continue;
        if (line.front() == '+') {
            append += splitUnescape(line.substr(1)).front() + "\n";
            continue;
        }
        const std::size_t eq = findUnescaped(line, '=');
        if (eq == std::string_view::npos)
            continue;
        std::string_view rawKey = line.substr(0, eq);
        const std::string_view rawValue = line.substr(eq + 1);
        Wanted w;
        w.list = rawKey.size() >= 2 && rawKey.substr(rawKey.size() - 2) == "[]";
        if (w.list)
            rawKey.remove_suffix(2);
        const std::string key = splitUnescape(rawKey).front();
        if (w.list) {
            if (!rawValue.empty())
                w.items = splitUnescape(rawValue, '|');
            sets.emplace_back(key, kb::yamlFlowList(w.items));
        } else {
            w.scalar = splitUnescape(rawValue).front();
            sets.emplace_back(key, kb::yamlScalar(w.scalar));
        }
        wanted[key] = std::move(w);
    }

    const kb::ParseResult before = kb::parseRecord("fuzz.md", text);

    const std::string sentinel = "\x01untouched\x02";
    std::string out = sentinel, error;
    const bool ok = kb::editRecordText(text, sets, append, &out, &error);
    static const bool verbose = std::getenv("KB_FUZZ_VERBOSE") != nullptr;
    if (verbose) {
        std::fprintf(stderr, "record %s; %zu set(s), %s; edit %s\n",
                     before.record ? "reads" : "does not read", sets.size(),
                     append.empty() ? "no append" : "append", ok ? "done" : error.c_str());
        for (const auto &[k, v] : sets)
            std::fprintf(stderr, "  set \"%s\" -> %s\n", escaped(k).c_str(), escaped(v).c_str());
        if (ok)
            std::fprintf(stderr, "  out \"%s\"\n", escaped(out).c_str());
    }
    if (!ok) {
        if (out != sentinel)
            violation("editRecordText failed (" + error + ") but changed `out`", text, sets, append,
                      out);
        if (error.empty())
            violation("editRecordText failed without a reason", text, sets, append, out);
        return 0;
    }
    if (!before.record)
        return 0; // the promise is about records that read; nothing more to hold it to

    // (i) The proof agrees. A no-op edit is never proven by editRecordText (and a note
    // without front matter "changes" only by growing), so only changed bytes are asked.
    if (out != text)
        if (std::string broken = kb::proveRecordEdit(text, out, sets, !append.empty());
            !broken.empty())
            violation("proveRecordEdit rejects what editRecordText returned: " + broken, text, sets,
                      append, out);

    // (ii) The new text reads.
    const kb::ParseResult after = kb::parseRecord("fuzz.md", out);
    if (!after.record)
        violation("the edited text no longer reads: " + (after.findings.empty()
                                                             ? std::string("(no finding)")
                                                             : after.findings.front().message),
                  text, sets, append, out);
    const kb::Record &old = *before.record;
    const kb::Record &now = *after.record;
    volatile std::size_t sink = now.title().size();
    for (const auto &[key, value] : now.fields)
        sink = sink + value.asList().size();
    (void)sink;

    // (iii) Untouched keys keep their values; set keys read back as given.
    std::set<std::string> expectedKeys;
    for (const auto &[key, value] : old.fields) {
        expectedKeys.insert(key);
        if (wanted.count(key))
            continue;
        const kb::FieldValue *v = now.field(key);
        if (!v)
            violation("the untouched key '" + escaped(key) + "' vanished", text, sets, append, out);
        if (v->kind != value.kind || v->scalar != value.scalar || v->items != value.items)
            violation("the untouched key '" + escaped(key) + "' changed from " + describe(value) +
                          " to " + describe(*v),
                      text, sets, append, out);
    }
    for (const auto &[key, w] : wanted) {
        expectedKeys.insert(key);
        const kb::FieldValue *v = now.field(key);
        if (!v)
            violation("the set key '" + escaped(key) + "' is missing", text, sets, append, out);
        const bool same = w.list ? v->kind == kb::FieldValue::Kind::List && v->items == w.items
                                 : v->kind == kb::FieldValue::Kind::Scalar && v->scalar == w.scalar;
        if (!same) {
            kb::FieldValue given;
            given.kind = w.list ? kb::FieldValue::Kind::List : kb::FieldValue::Kind::Scalar;
            given.scalar = w.scalar;
            given.items = w.items;
            violation("the set key '" + escaped(key) + "' reads back as " + describe(*v) +
                          ", not as the " + describe(given) + " given",
                      text, sets, append, out);
        }
    }
    for (const auto &[key, value] : now.fields)
        if (!expectedKeys.count(key))
            violation("a key '" + escaped(key) + "' appeared", text, sets, append, out);
    if (now.fields.size() != expectedKeys.size())
        violation("the edited record has " + std::to_string(now.fields.size()) +
                      " keys, expected " + std::to_string(expectedKeys.size()),
                  text, sets, append, out);
    if (append.empty() ? now.body != old.body : now.body.compare(0, old.body.size(), old.body) != 0)
        violation(append.empty() ? "the body changed" : "the new body does not start with the old",
                  text, sets, append, out);
    return 0;
}
