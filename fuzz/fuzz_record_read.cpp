// libFuzzer harness: reading a record from arbitrary bytes must never crash. Every
// outcome is fine (a record, or findings); sanitizers and libFuzzer catch the rest.
#include "core/record.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    kb::ParseResult r =
        kb::parseRecord("fuzz.md", std::string(reinterpret_cast<const char *>(data), size));
    if (r.record) {
        volatile std::size_t sink = r.record->title().size();
        sink = sink + r.record->id().size() + r.record->type().size();
        for (const auto &[key, value] : r.record->fields) {
            sink = sink + value.asList().size() + value.asText().size();
            sink = sink + static_cast<std::size_t>(r.record->lineOf(key));
        }
        (void)sink;
    }
    return 0;
}
