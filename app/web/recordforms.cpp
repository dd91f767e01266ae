#include "web/recordforms.h"

#include "core/frontmatter.h"
#include "core/pluginhost.h"
#include "core/recordedit.h"
#include "core/store.h"
#include "core/validator.h"
#include "services/qtstring.h"
#include "services/readerscope.h"
#include "services/recordcreation.h"
#include "services/session.h"
#include "web/recordpage.h"
#include "web/requestvalues.h"
#include "web/schemajson.h"

#include <kb/recordtype.h>

#include <QJsonArray>

#include <algorithm>

namespace kb::web {

namespace {

// The board view whose columns are this field, if any.
const ViewSpec *boardMoving(const TypeSchema &schema, const std::string &field)
{
    for (const ViewSpec &v : schema.views)
        if (v.kind == "board" && v.field == field)
            return &v;
    return nullptr;
}

} // namespace

ApiResponse createFromForm(Session &session, const QJsonObject &in)
{
    const std::string type = in.value("type").toString().toStdString();
    const PluginInfo *plugin = session.plugins().findRecordType(type);
    if (!plugin || type.empty())
        return ApiResponse::error(400, "unknown record type '" + type + "'",
                                  QJsonObject{{"fields", QJsonObject{{"type", "unknown type"}}}});
    NewRecordRequest request;
    request.requireAll = true;
    request.title = in.value("title").toString().trimmed().toStdString();
    request.date = in.value("date").toString().trimmed().toStdString();
    const QJsonObject fields = in.value("fields").toObject();
    QJsonObject malformed;
    static const QStringList known = {"type", "title", "date", "fields", "sections"};
    for (const QString &key : in.keys())
        if (!known.contains(key))
            malformed[key] = "is not part of a new record (type, title, date, fields, sections)";
    for (const char *key : {"title", "date"})
        if (in.contains(key) && !in.value(key).isString())
            malformed[key] = "must be text";
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (const std::string bad =
                shapeProblem(plugin->schema.find(it.key().toStdString()), it.value());
            !bad.empty())
            malformed[it.key()] = q(bad);
        request.values.emplace_back(it.key().toStdString(), givenStrings(it.value()));
    }
    if (!malformed.isEmpty())
        return ApiResponse::error(422, "some fields need attention",
                                  QJsonObject{{"fields", malformed}});
    for (const auto &sec : in.value("sections").toArray())
        request.sections.push_back(sec.toString().toStdString());
    NewRecordResult created;
    if (!kb::createRecord(session, plugin->schema, request, &created)) {
        if (created.problems.empty())
            return ApiResponse::error(500, created.error);
        QJsonObject byField;
        for (const FieldProblem &p : created.problems)
            byField[q(p.field)] = q(p.message);
        return ApiResponse::error(422,
                                  created.refusedByRules
                                      ? "a rule of this record type refuses it: " +
                                            created.problems.front().message
                                      : "some fields need attention",
                                  QJsonObject{{"fields", byField}});
    }
    std::vector<Finding> notes;
    if (const Record *r = session.store().byId(created.id))
        notes = session.checkRecord(*r);
    return ApiResponse::json(QJsonObject{{"id", q(created.id)},
                                         {"path", q(created.path)},
                                         {"findings", findingsJson(notes)}},
                             201);
}

ApiResponse updateFromForm(Session &session, const ReaderScope &reader, const std::string &id,
                           const QJsonObject &in, bool *wrote)
{
    *wrote = false;
    std::string error;
    const Record *known = reader.byId(id);
    if (!known)
        return ApiResponse::error(404, "no record with id '" + id + "'");
    // The version is compared with the file as it is now, read afresh (not the whole store).
    ParseResult fresh = loadRecordFile(session.root(), known->path);
    if (!fresh.record)
        return ApiResponse::error(409, fresh.findings.empty() ? known->path + " cannot be read"
                                                              : fresh.findings.front().toString());
    const Record *r = &*fresh.record;
    if (reader.hides(*r))
        return ApiResponse::error(404, "no record with id '" + id + "'");
    if (!r->span.present)
        return ApiResponse::error(409, r->path +
                                           " has no front matter to edit; fix it in a text editor");
    const std::string base = in.value("version").toString().toStdString();
    if (base != recordVersion(r->text))
        return ApiResponse::error(409,
                                  "the record changed since you opened it (someone else saved "
                                  "it); reload to see their version, then apply your change again",
                                  QJsonObject{{"version", q(recordVersion(r->text))}});
    const PluginInfo *plugin = session.plugins().findRecordType(r->type());
    std::vector<std::pair<std::string, std::string>> sets;
    QJsonObject problems;
    const QJsonObject fields = in.value("fields").toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const std::string key = it.key().toStdString();
        if (key == "id" || key == "type") {
            problems[it.key()] = "cannot change";
            continue;
        }
        const FieldSpec *spec = plugin ? plugin->schema.find(key) : nullptr;
        if (!spec) {
            problems[it.key()] = "no such field";
            continue;
        }
        if (const std::string bad = shapeProblem(spec, it.value()); !bad.empty()) {
            problems[it.key()] = q(bad);
            continue;
        }
        const FieldValue v = givenFieldValue(*spec, givenStrings(it.value()));
        // A list emptied in the form is written as [], a cleared scalar as nothing.
        const std::string yaml =
            spec->type == FieldType::List && v.isNull() ? "[]" : yamlOf(*spec, v);
        if (spec->required && v.isNull()) {
            problems[it.key()] = "is required";
            continue;
        }
        if (sameFieldValue(*spec, v, r->field(key), session.vocab()))
            continue; // unchanged: its bytes stay as the user wrote them
        if (const ViewSpec *board = boardMoving(plugin->schema, key)) {
            problems[it.key()] = q("changes by moving the card on the board (" + board->labelEn +
                                   "), which checks the allowed steps");
            continue;
        }
        if (!v.isNull())
            if (std::string err = checkFieldValue(*spec, v, session.vocab()); !err.empty()) {
                problems[it.key()] = q(err);
                continue;
            }
        sets.emplace_back(key, yaml);
    }
    if (!problems.isEmpty())
        return ApiResponse::error(422, "some fields need attention",
                                  QJsonObject{{"fields", problems}});
    if (in.contains("body") && !in.value("body").isString())
        return ApiResponse::error(422,
                                  "body must be a string (the Markdown after the front "
                                  "matter); leave it out to keep the body",
                                  QJsonObject{{"fields", QJsonObject{{"body", "must be text"}}}});
    std::string text = r->text;
    if (in.contains("body")) {
        std::string newBody = in.value("body").toString().toStdString();
        // A browser's textarea gives LF for the file's CRLF: that alone is no change.
        std::string bodyAsLf = r->body;
        bodyAsLf.erase(std::remove(bodyAsLf.begin(), bodyAsLf.end(), '\r'), bodyAsLf.end());
        if (newBody != r->body && !(r->span.crlf && newBody == bodyAsLf)) {
            // Keep the file's line endings: a CRLF file gets CRLF in its new body too.
            if (r->span.crlf) {
                std::string crlf;
                for (char c : newBody) {
                    if (c == '\n' && (crlf.empty() || crlf.back() != '\r'))
                        crlf += '\r';
                    crlf += c;
                }
                newBody = std::move(crlf);
            }
            text = text.substr(0, r->span.closeEnd) + newBody;
        }
    }
    if (!sets.empty() || text != r->text)
        sets.emplace_back("updated", session.today());
    std::string newText = text;
    if (!sets.empty() && !editRecordText(text, sets, "", &newText, &error))
        return ApiResponse::error(422, r->path + ": " + error);
    if (newText == r->text)
        return ApiResponse::json(QJsonObject{{"id", q(id)},
                                             {"path", q(r->path)},
                                             {"version", q(recordVersion(r->text))},
                                             {"changed", false}});
    const std::string path = r->path, old = r->text;
    std::vector<Finding> refusedBy;
    if (!session.writeRecord(path, newText, false, &old, &error, &refusedBy)) {
        if (refusedBy.empty())
            return ApiResponse::error(409, error);
        QJsonObject byField;
        for (const Finding &f : refusedBy)
            byField[q(f.field)] = q(f.message);
        return ApiResponse::error(
            422, "a rule of this record type refuses the change: " + refusedBy.front().message,
            QJsonObject{{"fields", byField}});
    }
    *wrote = true;                   // the store catches up on its next use
    newText = session.lastWritten(); // with the host's own keys (updated_by)
    std::vector<Finding> notes;
    if (const ParseResult after = parseRecord(path, newText); after.record)
        notes = session.checkRecord(*after.record);
    return ApiResponse::json(QJsonObject{{"id", q(id)},
                                         {"path", q(path)},
                                         {"version", q(recordVersion(newText))},
                                         {"changed", true},
                                         {"findings", findingsJson(notes)}});
}

} // namespace kb::web
