#include "indexer/documentbuilder.h"

#include "core/atomicfile.h"
#include "core/textcheck.h"
#include "core/vocabulary.h"
#include "indexer/indexschema.h"
#include "indexer/plaintext.h"
#include "indexer/storeddata.h"
#include "indexer/termwriter.h"
#include "indexer/textanalysis.h"

#include <xapian.h>

#include <cstdio>
#include <functional>
#include <set>

namespace kb::search {

namespace {

// The text kept for snippets. A snippet is found in the first few KB (snippet.cpp); every
// hit shown decompresses what is kept, which under load on long documents (10,000 man
// pages) was a quarter of the server's time at 64 KB.
constexpr std::size_t kMaxSnippetSource = 16 * 1024;

std::string dateKey(const std::string &isoDate)
{
    std::string digits;
    for (char c : isoDate)
        if (c >= '0' && c <= '9')
            digits += c;
    return digits.size() == 8 ? digits : std::string();
}

std::string packFacet(const std::string &name, const std::string &value)
{
    return name + '\x1f' + value + '\x1e';
}

// The canonical form of a vocabulary-backed value: the entry's id when the value names
// one (by id, label or alias), else the value itself.
const Term *vocabTerm(const IndexSchema &schema, const IndexedField &f, const std::string &value)
{
    if (f.spec.vocabulary.empty())
        return nullptr;
    return schema.vocab().lookup(f.spec.vocabulary, value);
}

void addDate(Xapian::Document &doc, const std::string &prefix, const std::string &key)
{
    doc.add_boolean_term(prefix + key);
}

void indexRecord(const Record &r, const IndexSchema &schema, Xapian::Document &doc,
                 StoredData &data, std::string &facets, TermWriter &text, std::size_t &bytes)
{
    const TypeSchema *type = r.plainNote ? nullptr : schema.type(r.type());
    const std::string typeName = type ? type->type : "note";
    const std::string id = Store::effectiveId(r);
    const std::string title = r.title();
    const std::string date = r.value("date");

    doc.add_boolean_term(booleanTerm(prefix::kId, id));
    doc.add_boolean_term(booleanTerm(prefix::kType, typeName));
    facets += packFacet("type", typeName);
    data.set("id", id);
    data.set("type", typeName);
    data.set("title", title);

    if (const std::string key = dateKey(date); !key.empty() && isIsoDate(date)) {
        data.set("date", date);
        doc.add_value(kSlotDate, key);
        addDate(doc, prefix::kDay, key);
        addDate(doc, prefix::kMonth, key.substr(0, 6));
        addDate(doc, prefix::kYear, key.substr(0, 4));
        facets += packFacet("year", key.substr(0, 4));
    }
    for (const std::string &tag :
         r.field("tags") ? r.field("tags")->asList() : std::vector<std::string>{}) {
        doc.add_boolean_term(booleanTerm(prefix::kTag, tag));
        facets += packFacet("tags", foldText(tag));
    }

    // Title counts three times over body text, and can be searched on its own.
    text.addText(title, 3);
    text.gap();
    const Xapian::Stem noStem;
    TermWriter titleOnly(doc, noStem);
    titleOnly.addText(title, 1, prefix::kTitle);

    std::set<std::string, std::less<>> templateHeadings;
    if (type)
        for (const SectionSpec &sec : type->sections) {
            templateHeadings.insert(foldText(sec.zh));
            templateHeadings.insert(foldText(sec.en));
            templateHeadings.insert(foldText(sec.zh + " / " + sec.en));
        }
    std::string plain = markdownToPlainText(r.body, templateHeadings);
    bytes += plain.size() + title.size();
    text.addText(plain);
    text.gap();
    if (plain.size() > kMaxSnippetSource)
        plain.resize(kMaxSnippetSource);

    if (type) {
        for (const FieldSpec &spec : type->fields) {
            const IndexedField *f = schema.field(spec.name);
            const FieldValue *v = r.field(spec.name);
            if (!f || !v || v->isNull() || v->kind == FieldValue::Kind::Nested)
                continue;
            std::string display;
            for (const std::string &item : v->asList()) {
                if (item.empty())
                    continue;
                const Term *term = vocabTerm(schema, *f, item);
                const std::string canonical = term ? term->id : item;
                display += (display.empty() ? "" : ", ") + canonical;
                if (!f->prefix.empty())
                    doc.add_boolean_term(booleanTerm(f->prefix, canonical));
                if (f->facet)
                    facets += packFacet(f->name, foldText(canonical));
                if (f->freeText) {
                    text.addText(item);
                    if (term) {
                        text.addText(term->zh);
                        text.addText(term->en);
                    }
                    text.gap();
                }
                if (f->spec.isDateLike()) {
                    if (const std::string key = dateKey(item); !key.empty() && isIsoDate(item))
                        if (f->slot != kNoSlot)
                            doc.add_value(f->slot, key);
                } else if (f->slot != kNoSlot) {
                    doc.add_value(f->slot, f->spec.type == FieldType::Number
                                               ? Xapian::sortable_serialise(std::atof(item.c_str()))
                                               : foldText(item));
                }
            }
            if (!display.empty())
                data.set("f:" + f->name, display);
        }
    }
    data.set("text", plain);
}

} // namespace

std::string pathTerm(const std::string &relPath)
{
    if (relPath.size() + 1 <= kMaxTermBytes)
        return prefix::kPath + relPath;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(stableHash(relPath)));
    return prefix::kPath + std::string("#") + buf + relPath.substr(relPath.size() - 100);
}

std::string fileSignature(const FileEntry &f)
{
    return std::to_string(f.mtimeNs) + ":" + std::to_string(f.size);
}

BuiltDocument buildDocument(const KbRoot &root, const IndexSchema &schema, const FileEntry &file)
{
    thread_local const Xapian::Stem stem("english");
    BuiltDocument out;
    out.path = file.path;
    Xapian::Document &doc = out.doc;
    StoredData data;
    std::string facets;
    data.set("path", file.path);
    doc.add_boolean_term(pathTerm(file.path));
    doc.add_value(kSlotPath, file.path);
    doc.add_value(kSlotSignature, fileSignature(file));

    TermWriter text(doc, stem, &schema.concepts());
    ParseResult parsed = loadRecordFile(root, file.path);
    if (parsed.record) {
        indexRecord(*parsed.record, schema, doc, data, facets, text, out.textBytes);
    } else {
        // Unparseable: keep what can be searched, and the reason.
        out.findings = parsed.findings;
        doc.add_boolean_term(kBrokenTerm);
        doc.add_boolean_term(std::string(prefix::kType) + "note");
        facets += packFacet("type", "note");
        const std::string id = noteIdFromPath(file.path);
        doc.add_boolean_term(booleanTerm(prefix::kId, id));
        data.set("id", id);
        data.set("type", "note");
        data.set("title", file.path);
        std::string raw, error;
        if (file.size <= std::int64_t(root.maxFileBytes) &&
            readWholeFile(root.dir + "/" + file.path, &raw, &error) &&
            firstInvalidUtf8(raw) == std::string_view::npos && !looksBinary(raw)) {
            text.addText(raw);
            out.textBytes += raw.size();
            if (raw.size() > kMaxSnippetSource)
                raw.resize(kMaxSnippetSource);
            data.set("text", raw);
        }
        std::string message;
        for (const Finding &f : parsed.findings)
            message += (message.empty() ? "" : "\n") + f.toString();
        data.set(kErrorKey, message);
    }
    doc.add_value(kSlotFacets, facets);
    doc.set_data(data.pack());
    return out;
}

} // namespace kb::search
