// libFuzzer harness: the query language. Any bytes go to QueryBuilder::parse, the entry
// point `kb search` and /api/search reach first, with the schema of the in-tree plugins
// and content/vocab (so field:value filters, vocabulary values and glossary synonyms are
// all live). A QueryError is the product's one-line answer to a bad query and is fine;
// any other exception, a crash or a sanitizer report is a bug.
//
// The manifests and vocabularies are read from KB_SOURCE_DIR (the source tree at build
// time), or from $KB_FUZZ_SOURCE_DIR when set.
#include "core/manifest.h"
#include "core/schema.h"
#include "core/vocabulary.h"
#include "indexer/indexschema.h"
#include "indexer/lexicon.h"
#include "indexer/querybuilder.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <xapian.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

struct Setup {
    std::vector<std::unique_ptr<kb::TypeSchema>> types;
    kb::Vocabularies vocab;
    std::unique_ptr<kb::search::IndexSchema> schema;
    kb::search::Lexicon lexicon;
    std::unique_ptr<kb::search::QueryBuilder> builder;
};

Setup *setup = nullptr;

[[noreturn]] void fail(const std::string &why)
{
    std::fprintf(stderr, "fuzz_query_parse: %s\n", why.c_str());
    std::exit(1);
}

std::string escaped(const std::string &s)
{
    std::string out;
    static const char *hex = "0123456789abcdef";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\\' || c == '"') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
    return out;
}

[[noreturn]] void bug(const std::string &query, const std::string &what)
{
    std::fprintf(stderr, "\n==== fuzz_query_parse: %s\nquery: \"%s\"\n", what.c_str(),
                 escaped(query).c_str());
    std::fflush(stderr);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    namespace fs = std::filesystem;
    const char *env = std::getenv("KB_FUZZ_SOURCE_DIR");
    const fs::path source = env && *env ? fs::path(env) : fs::path(KB_SOURCE_DIR);
    setup = new Setup;
    // Every in-tree plugin's manifest (the JSON its Q_PLUGIN_METADATA embeds).
    std::vector<fs::path> manifests;
    for (const auto &dir : fs::directory_iterator(source / "plugins"))
        if (dir.is_directory())
            for (const auto &f : fs::directory_iterator(dir.path()))
                if (f.path().extension() == ".json")
                    manifests.push_back(f.path());
    std::sort(manifests.begin(), manifests.end());
    std::vector<const kb::TypeSchema *> types;
    for (const fs::path &m : manifests) {
        QFile file(QString::fromStdString(m.string()));
        if (!file.open(QIODevice::ReadOnly))
            fail("cannot read " + m.string());
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &perr);
        if (!doc.isObject())
            fail(m.string() + ": " + perr.errorString().toStdString());
        auto type = std::make_unique<kb::TypeSchema>();
        std::vector<std::string> problems;
        if (!kb::parseManifest(doc.object(), type.get(), &problems))
            fail(m.string() + ": " + problems.front());
        if (type->hasRecords)
            types.push_back(type.get());
        setup->types.push_back(std::move(type));
    }
    if (types.empty())
        fail("no plugin manifests under " + (source / "plugins").string());
    const std::vector<kb::Finding> findings = setup->vocab.load((source / "content").string());
    for (const kb::Finding &f : findings)
        std::fprintf(stderr, "fuzz_query_parse: vocab: %s:%d: %s\n", f.path.c_str(), f.line,
                     f.message.c_str());
    if (setup->vocab.names().empty())
        fail("no vocabularies under " + (source / "content" / "vocab").string());
    setup->schema = std::make_unique<kb::search::IndexSchema>(
        kb::search::IndexSchema::build(types, setup->vocab));
    setup->lexicon.build(setup->vocab);
    setup->builder = std::make_unique<kb::search::QueryBuilder>(*setup->schema, setup->lexicon);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string query(reinterpret_cast<const char *>(data), size);
    static const bool verbose = std::getenv("KB_FUZZ_VERBOSE") != nullptr;
    try {
        const kb::search::ParsedQuery parsed = setup->builder->parse(query);
        if (verbose)
            std::fprintf(stderr, "query \"%s\": %s\n", escaped(query).c_str(),
                         parsed.strict.get_description().c_str());
        // Walk both query trees: what the searcher hands to Xapian.
        volatile std::size_t sink = parsed.strict.get_description().size();
        sink = sink + parsed.relaxed.get_description().size() + parsed.notes.size() +
               parsed.highlight.size() + static_cast<std::size_t>(parsed.contentPieces);
        (void)sink;
    } catch (const kb::search::QueryError &e) {
        if (verbose)
            std::fprintf(stderr, "query \"%s\": QueryError: %s\n", escaped(query).c_str(),
                         e.what());
        if (std::string(e.what()).empty())
            bug(query, "QueryError without a message");
    } catch (const Xapian::Error &e) {
        bug(query, std::string("uncaught Xapian::") + e.get_type() + ": " + e.get_msg());
    } catch (const std::exception &e) {
        bug(query, std::string("uncaught std::exception: ") + e.what());
    } catch (...) {
        bug(query, "uncaught exception of unknown type");
    }
    return 0;
}
