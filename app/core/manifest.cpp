#include "core/manifest.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/fieldvalue.h"
#include "core/jsonfields.h"
#include "core/schema.h"
#include "core/validator.h"
#include "core/vocabulary.h"

namespace kb {
namespace {

// "Label": "Memo" or {"zh": "会议纪要", "en": "Memo"}.
void readLabel(const QJsonValue &value, const std::string &path, std::vector<std::string> *problems,
               std::string *zh, std::string *en)
{
    if (value.isUndefined())
        return;
    if (value.isString()) {
        *zh = *en = value.toString().toStdString();
        return;
    }
    if (!value.isObject()) {
        problems->push_back(path + ": must be a string or {\"zh\": ..., \"en\": ...}, found " +
                            JsonFields::describe(value));
        return;
    }
    JsonFields o(value.toObject(), path, problems);
    *zh = o.text("zh");
    *en = o.text("en");
    o.reportUnknownKeys();
}

void label(JsonFields &o, std::vector<std::string> *problems, std::string *zh, std::string *en)
{
    readLabel(o.raw("Label"), o.pathOf("Label"), problems, zh, en);
}

std::vector<std::string> strings(JsonFields &o, std::string_view key)
{
    std::vector<std::string> out;
    const QJsonArray a = o.list(key);
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!a[i].isString())
            o.problem(std::string(key) + "[" + std::to_string(i) + "]",
                      "must be a string, found " + JsonFields::describe(a[i]));
        else
            out.push_back(a[i].toString().toStdString());
    }
    return out;
}

std::string itemPath(const char *list, qsizetype i, const std::string &name = {})
{
    std::string p = std::string(list) + "[" + std::to_string(i) + "]";
    return name.empty() ? p : p + " (" + name + ")";
}

// Each entry of the array `key` of `parent` as a strict object, named by its "Name" when it
// has one ("Fields[2] (mood)"); an entry that is not an object is a problem of its own.
void forEachEntry(JsonFields &parent, const char *key, std::vector<std::string> *problems,
                  const std::function<void(JsonFields &, const std::string &name)> &read)
{
    const QJsonArray entries = parent.list(key);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (!entries[i].isObject()) {
            parent.problem(itemPath(key, i),
                           "must be an object, found " + JsonFields::describe(entries[i]));
            continue;
        }
        const QJsonObject object = entries[i].toObject();
        const std::string name = object.value(QLatin1String("Name")).toString().toStdString();
        JsonFields o(object, parent.pathOf(itemPath(key, i, name)), problems);
        read(o, name);
    }
}

void parseDefault(JsonFields &o, FieldSpec *f)
{
    const QJsonValue def = o.raw("Default");
    if (def.isString())
        f->defaultValue = def.toString().toStdString();
    else if (def.isBool())
        f->defaultValue = def.toBool() ? "true" : "false";
    else if (def.isDouble())
        f->defaultValue = QString::number(def.toDouble()).toStdString();
    else if (!def.isUndefined())
        o.problem("Default",
                  "must be a string, a number or true/false, found " + JsonFields::describe(def));
}

void parseValueLabels(JsonFields &o, FieldSpec *f, std::vector<std::string> *problems)
{
    const QJsonValue v = o.raw("ValueLabels");
    if (v.isUndefined())
        return;
    if (!v.isObject()) {
        o.problem("ValueLabels",
                  "must be an object of value: label, found " + JsonFields::describe(v));
        return;
    }
    const QJsonObject valueLabels = v.toObject();
    for (auto it = valueLabels.begin(); it != valueLabels.end(); ++it) {
        const std::string value = it.key().toStdString();
        const std::string path = o.pathOf("ValueLabels") + "." + value;
        if (std::find(f->values.begin(), f->values.end(), value) == f->values.end()) {
            problems->push_back(path + ": not one of its Values");
            continue;
        }
        std::string zh, en;
        readLabel(it.value(), path, problems, &zh, &en);
        f->valueLabels[value] = {zh.empty() ? en : zh, en.empty() ? zh : en};
    }
}

void parseField(JsonFields &o, FieldSpec *f, std::vector<std::string> *problems)
{
    const std::string type = o.text("Type");
    if (!parseFieldType(type.empty() ? "string" : type, &f->type))
        o.problem("Type", "unknown type '" + type +
                              "' (string, text, enum, date, list, person, reference, number, "
                              "bool)");
    const std::string of = o.text("Of");
    if (!of.empty()) {
        if (f->type != FieldType::List)
            o.problem("Of", "only a list has an element type");
        else if (!parseFieldType(of, &f->itemType) || f->itemType == FieldType::List)
            o.problem("Of", "unknown list element type '" + of + "'");
    }
    f->required = o.flag("Required", false);
    parseDefault(o, f);
    f->values = strings(o, "Values");
    parseValueLabels(o, f, problems);
    f->vocabulary = o.text("Vocabulary");
    if (!f->values.empty() || !f->vocabulary.empty()) {
        if (f->type == FieldType::String)
            f->type = FieldType::Enum;
        if (f->type == FieldType::List && f->itemType == FieldType::String)
            f->itemType = FieldType::Enum;
    }
    if (f->isEnumLike() && f->values.empty() && f->vocabulary.empty())
        o.problem("Type", "an enum needs \"Values\" or a \"Vocabulary\"");
    f->prefix = o.text("Prefix");
    if (!f->prefix.empty()) {
        const bool upper = std::all_of(f->prefix.begin(), f->prefix.end(),
                                       [](char c) { return c >= 'A' && c <= 'Z'; });
        // Xapian's convention: single letters and other initials are the host's own.
        if (!upper || f->prefix.size() < 2 || f->prefix[0] != 'X')
            o.problem("Prefix", "'" + f->prefix +
                                    "' must be upper-case ASCII letters starting with X, at "
                                    "least two (single letters are kb's own)");
    }
    // A default is written into every new record: it must be a value the field accepts
    // ("Default": "no" on a bool would be refused by kb check in every record filed).
    if (!f->defaultValue.empty() && f->vocabulary.empty()) {
        static const Vocabularies none;
        FieldValue value;
        value.kind = f->type == FieldType::List ? FieldValue::Kind::List : FieldValue::Kind::Scalar;
        value.scalar = f->defaultValue;
        value.items = {f->defaultValue};
        std::string why = checkFieldValue(*f, value, none);
        if (why.rfind(f->name + ": ", 0) == 0)
            why.erase(0, f->name.size() + 2);
        if (!why.empty())
            o.problem("Default", why);
    }
    // Values that set who may read a record: lower case, each one of the field's Values.
    const auto readerValues = [&](const char *key) {
        std::vector<std::string> out = strings(o, key);
        if (out.empty())
            return out;
        if (!(f->isEnumLike() || f->type == FieldType::String))
            o.problem(key, "only an enum or a string field can decide who reads a record");
        for (std::string &v : out) {
            if (!f->values.empty() &&
                std::find(f->values.begin(), f->values.end(), v) == f->values.end())
                o.problem(key, "'" + v + "' is not one of its Values");
            std::transform(v.begin(), v.end(), v.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
        }
        return out;
    };
    f->clearance = readerValues("Clearance");
    f->publicValues = readerValues("Public");
    f->closed = strings(o, "Closed");
    for (const std::string &v : f->closed)
        if (!f->values.empty() &&
            std::find(f->values.begin(), f->values.end(), v) == f->values.end())
            o.problem("Closed", "'" + v + "' is not one of its Values");
    f->filter = o.flag("Filter", false);
    f->sort = o.flag("Sort", false);
    f->facet = o.flag("Facet", false);
    f->help = o.text("Help");
    label(o, problems, &f->labelZh, &f->labelEn);
    f->labelGiven = !f->labelZh.empty() || !f->labelEn.empty();
    if (f->labelEn.empty())
        f->labelEn = f->name;
    if (f->labelZh.empty())
        f->labelZh = f->labelEn;
}

void parseFields(JsonFields &m, TypeSchema *s, std::vector<std::string> *problems)
{
    forEachEntry(m, "Fields", problems, [&](JsonFields &o, const std::string &name) {
        FieldSpec f;
        f.name = name;
        o.text("Name");
        if (f.name.empty() || !isValidId(f.name))
            o.problem("Name", "every field needs a lowercase \"Name\" (letters, digits, - or _)");
        else if (isCommonField(f.name) || s->find(f.name))
            o.problem("Name", "'" + f.name +
                                  "' is declared twice or is one of the keys every record has "
                                  "(id, type, title, date, tags, updated, updated_by)");
        parseField(o, &f, problems);
        for (const FieldSpec &earlier : s->fields)
            if (!f.prefix.empty() && earlier.prefix == f.prefix)
                o.problem("Prefix", "'" + f.prefix + "' is already the prefix of field '" +
                                        earlier.name + "'");
        o.reportUnknownKeys();
        s->fields.push_back(std::move(f));
    });
}

void parseVerbs(JsonFields &m, TypeSchema *s, std::vector<std::string> *problems)
{
    forEachEntry(m, "Verbs", problems, [&](JsonFields &o, const std::string &) {
        VerbSpec verb{o.text("Name"), o.text("Args"), o.text("Description"),
                      o.flag("Global", false)};
        if (verb.name.empty())
            o.problem("Name", "every verb needs a \"Name\"");
        o.reportUnknownKeys();
        s->verbs.push_back(std::move(verb));
    });
}

void parseParams(JsonFields &view, ViewSpec *spec, std::vector<std::string> *problems)
{
    forEachEntry(view, "Params", problems, [&](JsonFields &po, const std::string &) {
        ViewParam param;
        param.flag = po.text("Flag");
        param.vocabulary = po.text("Vocabulary");
        label(po, problems, &param.labelZh, &param.labelEn);
        po.reportUnknownKeys();
        spec->params.push_back(std::move(param));
    });
}

// "Views": pages a plugin adds to the web app, each drawn from one of its verbs.
void parseViews(JsonFields &m, TypeSchema *s, std::vector<std::string> *problems)
{
    forEachEntry(m, "Views", problems, [&](JsonFields &o, const std::string &) {
        ViewSpec view;
        view.name = o.text("Name");
        view.kind = o.text("Kind");
        view.verb = o.text("Verb");
        view.move = o.text("Move");
        view.field = o.text("Field");
        view.done = strings(o, "Done");
        view.restrictedFlag = o.text("Restricted");
        label(o, problems, &view.labelZh, &view.labelEn);
        view.args = strings(o, "Args");
        parseParams(o, &view, problems);
        o.reportUnknownKeys();
        static const std::vector<std::string> kinds = {"markdown", "journey", "board", "charts"};
        if (view.name.empty())
            o.problem("Name", "every view needs a \"Name\"");
        if (std::find(kinds.begin(), kinds.end(), view.kind) == kinds.end())
            o.problem("Kind", "must be markdown, journey, board or charts");
        if (view.verb.empty())
            o.problem("Verb", "every view runs one of the plugin's \"Verbs\"");
        else if (std::none_of(s->verbs.begin(), s->verbs.end(),
                              [&](const VerbSpec &vs) { return vs.name == view.verb; }))
            o.problem("Verb", "'" + view.verb + "' is not declared in \"Verbs\"");
        if (view.kind == "board" && view.move.empty())
            o.problem("Move", "a board view needs the verb that moves a card");
        s->views.push_back(std::move(view));
    });
}

void parseRecordType(JsonFields &m, TypeSchema *s, std::vector<std::string> *problems)
{
    s->type = m.text("Type");
    if (s->type.empty())
        s->type = s->pluginId;
    if (!isValidId(s->type))
        m.problem("Type", "must be a lowercase identifier");
    s->idPrefix = m.text("IdPrefix");
    if (s->idPrefix.empty())
        s->idPrefix = s->type.substr(0, 3);
    else if (!isValidId(s->idPrefix))
        m.problem("IdPrefix", "must be a lowercase identifier");
    s->folder = m.text("Folder");
    if (s->folder.empty())
        s->folder = s->pluginId;
    if (s->folder.empty() || s->folder.find("..") != std::string::npos || s->folder.front() == '/')
        m.problem("Folder", "must be a relative folder inside the root");
    label(m, problems, &s->labelZh, &s->labelEn);
    if (s->labelEn.empty())
        s->labelEn = s->type;
    if (s->labelZh.empty())
        s->labelZh = s->labelEn;
    parseFields(m, s, problems);
    const QJsonArray sections = m.list("Sections");
    for (qsizetype i = 0; i < sections.size(); ++i) {
        std::string zh, en;
        readLabel(sections[i], itemPath("Sections", i), problems, &zh, &en);
        s->sections.push_back({zh, en});
    }
}

} // namespace

bool parseManifest(const QJsonObject &manifest, TypeSchema *s, std::vector<std::string> *problems)
{
    const std::size_t before = problems->size();
    JsonFields m(manifest, "", problems);
    s->pluginId = m.text("Id");
    if (s->pluginId.empty() || !isValidId(s->pluginId))
        m.problem("Id", "must be a lowercase identifier");
    m.text("Name");
    m.text("Version");
    m.text("Description");
    if (!m.has("Api"))
        m.problem("Api",
                  "missing: the SDK API version the plugin was built for (Kb::SdkApiVersion)");
    m.integer("Api", 0);
    s->hasRecords = m.flag("Records", true);
    s->requiredTypes = strings(m, "Requires");
    forEachEntry(m, "Messages", problems, [&](JsonFields &o, const std::string &) {
        const std::string en = o.text("en"), zh = o.text("zh");
        o.reportUnknownKeys();
        if (en.empty() || zh.empty()) {
            o.problem(en.empty() ? "en" : "zh",
                      "a message needs its English pattern and its Chinese (\"en\", \"zh\")");
            return;
        }
        // Every {N} of the Chinese must name one of the English's {} holes.
        std::size_t holes = 0;
        for (std::size_t at = en.find("{}"); at != std::string::npos; at = en.find("{}", at + 2))
            ++holes;
        for (std::size_t at = zh.find('{'); at != std::string::npos; at = zh.find('{', at + 1))
            if (at + 2 < zh.size() && zh[at + 2] == '}' &&
                std::isdigit((unsigned char)zh[at + 1]) && std::size_t(zh[at + 1] - '0') >= holes)
                o.problem("zh", "{" + std::string(1, zh[at + 1]) + "} names no {} of the English");
        s->messagesZh.emplace_back(en, zh);
    });
    parseVerbs(m, s, problems);
    parseViews(m, s, problems);
    if (s->hasRecords) {
        parseRecordType(m, s, problems);
        for (std::size_t i = 0; i < s->views.size(); ++i)
            if (ViewSpec &v = s->views[i]; !v.field.empty()) {
                const FieldSpec *f = s->find(v.field);
                const std::string at = "Views[" + std::to_string(i) + "] (" + v.name + ")";
                if (!f) {
                    problems->push_back(at + ".Field: '" + v.field +
                                        "' is not one of the type's Fields");
                    continue;
                }
                for (const std::string &d : v.done)
                    if (std::find(f->values.begin(), f->values.end(), d) == f->values.end())
                        problems->push_back(at + ".Done: '" + d + "' is not a value of '" +
                                            v.field + "'");
                if (v.done.empty())
                    v.done = f->closed;
            } else if (!s->views[i].done.empty()) {
                problems->push_back("Views[" + std::to_string(i) + "] (" + s->views[i].name +
                                    ").Done: only a board with a \"Field\" has finished columns");
            }
    } else {
        for (const char *key : {"Type", "IdPrefix", "Folder", "Label", "Fields", "Sections"})
            if (m.has(key)) {
                m.raw(key);
                m.problem(key, "a plugin with \"Records\": false has no record type");
            }
    }
    m.reportUnknownKeys();
    return problems->size() == before;
}

} // namespace kb
