#include "manifest.h"

#include <algorithm>

#include "schema.h"
#include "validator.h"

#include <QJsonArray>
#include <QJsonObject>

namespace kb {
namespace {

std::string str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString().toStdString();
}

void labels(const QJsonObject &o, std::string *zh, std::string *en)
{
    QJsonValue l = o.value(QLatin1String("Label"));
    if (l.isObject()) {
        *zh = str(l.toObject(), "zh");
        *en = str(l.toObject(), "en");
    } else if (l.isString()) {
        *zh = *en = l.toString().toStdString();
    }
}

bool parseField(const QJsonObject &o, FieldSpec *f, std::string *error)
{
    f->name = str(o, "Name");
    if (f->name.empty() || !isValidId(f->name)) {
        *error = "Fields: every field needs a lowercase \"Name\"";
        return false;
    }
    const std::string where = "Fields." + f->name + ": ";
    std::string type = str(o, "Type");
    if (!parseFieldType(type.empty() ? "string" : type, &f->type)) {
        *error = where + "unknown Type '" + type + "'";
        return false;
    }
    if (f->type == FieldType::List) {
        std::string of = str(o, "Of");
        if (!of.empty() && (!parseFieldType(of, &f->itemType) || f->itemType == FieldType::List)) {
            *error = where + "unknown list element type '" + of + "'";
            return false;
        }
    }
    f->required = o.value(QLatin1String("Required")).toBool();
    QJsonValue def = o.value(QLatin1String("Default"));
    if (def.isString())
        f->defaultValue = def.toString().toStdString();
    else if (def.isBool())
        f->defaultValue = def.toBool() ? "true" : "false";
    else if (def.isDouble())
        f->defaultValue = QString::number(def.toDouble()).toStdString();
    for (const auto &v : o.value(QLatin1String("Values")).toArray())
        f->values.push_back(v.toString().toStdString());
    const QJsonObject valueLabels = o.value(QLatin1String("ValueLabels")).toObject();
    for (auto it = valueLabels.begin(); it != valueLabels.end(); ++it) {
        const std::string value = it.key().toStdString();
        if (std::find(f->values.begin(), f->values.end(), value) == f->values.end()) {
            *error = where + "ValueLabels names '" + value + "', which is not one of its Values";
            return false;
        }
        std::string zh, en;
        labels(QJsonObject{{QStringLiteral("Label"), it.value()}}, &zh, &en);
        f->valueLabels[value] = {zh.empty() ? en : zh, en.empty() ? zh : en};
    }
    f->vocabulary = str(o, "Vocabulary");
    if (!f->values.empty() || !f->vocabulary.empty()) {
        if (f->type == FieldType::String)
            f->type = FieldType::Enum;
        if (f->type == FieldType::List && f->itemType == FieldType::String)
            f->itemType = FieldType::Enum;
    }
    if (f->isEnumLike() && f->values.empty() && f->vocabulary.empty()) {
        *error = where + "an enum needs \"Values\" or a \"Vocabulary\"";
        return false;
    }
    f->prefix = str(o, "Prefix");
    for (char c : f->prefix)
        if (c < 'A' || c > 'Z') {
            *error = where + "Prefix must be upper-case ASCII letters";
            return false;
        }
    f->filter = o.value(QLatin1String("Filter")).toBool();
    f->sort = o.value(QLatin1String("Sort")).toBool();
    f->facet = o.value(QLatin1String("Facet")).toBool();
    f->help = str(o, "Help");
    labels(o, &f->labelZh, &f->labelEn);
    if (f->labelEn.empty())
        f->labelEn = f->name;
    if (f->labelZh.empty())
        f->labelZh = f->labelEn;
    return true;
}

// "Views": pages a plugin adds to the web app, each drawn from one of its verbs.
bool parseViews(const QJsonObject &m, TypeSchema *s, std::string *error)
{
    for (const auto &v : m.value(QLatin1String("Views")).toArray()) {
        const QJsonObject o = v.toObject();
        ViewSpec view;
        view.name = str(o, "Name");
        view.kind = str(o, "Kind");
        view.verb = str(o, "Verb");
        view.move = str(o, "Move");
        view.restrictedFlag = str(o, "Restricted");
        labels(o, &view.labelZh, &view.labelEn);
        for (const auto &a : o.value(QLatin1String("Args")).toArray())
            view.args.push_back(a.toString().toStdString());
        for (const auto &p : o.value(QLatin1String("Params")).toArray()) {
            const QJsonObject po = p.toObject();
            ViewParam param;
            param.flag = str(po, "Flag");
            param.vocabulary = str(po, "Vocabulary");
            labels(po, &param.labelZh, &param.labelEn);
            view.params.push_back(std::move(param));
        }
        static const std::vector<std::string> kinds = {"markdown", "journey", "board"};
        if (view.name.empty() || view.verb.empty() ||
            std::find(kinds.begin(), kinds.end(), view.kind) == kinds.end()) {
            *error = "Views: every view needs a \"Name\", a \"Verb\" and a \"Kind\" of "
                     "markdown, journey or board";
            return false;
        }
        if (std::none_of(s->verbs.begin(), s->verbs.end(),
                         [&](const VerbSpec &vs) { return vs.name == view.verb; })) {
            *error = "Views: view '" + view.name + "' runs verb '" + view.verb +
                     "', which \"Verbs\" does not declare";
            return false;
        }
        if (view.kind == "board" && view.move.empty()) {
            *error = "Views: board view '" + view.name + "' needs a \"Move\" verb";
            return false;
        }
        s->views.push_back(std::move(view));
    }
    return true;
}

} // namespace

bool parseManifest(const QJsonObject &m, TypeSchema *s, std::string *error)
{
    s->pluginId = str(m, "Id");
    if (s->pluginId.empty() || !isValidId(s->pluginId)) {
        *error = "manifest: \"Id\" must be a lowercase identifier";
        return false;
    }
    s->hasRecords = m.value(QLatin1String("Records")).toBool(true);
    for (const auto &v : m.value(QLatin1String("Verbs")).toArray()) {
        QJsonObject o = v.toObject();
        VerbSpec verb{str(o, "Name"), str(o, "Args"), str(o, "Description"),
                      o.value(QLatin1String("Global")).toBool()};
        if (verb.name.empty()) {
            *error = "Verbs: every verb needs a \"Name\"";
            return false;
        }
        s->verbs.push_back(std::move(verb));
    }
    if (!parseViews(m, s, error))
        return false;
    if (!s->hasRecords)
        return true;
    s->type = str(m, "Type");
    if (s->type.empty())
        s->type = s->pluginId;
    if (!isValidId(s->type)) {
        *error = "manifest: \"Type\" must be a lowercase identifier";
        return false;
    }
    s->idPrefix = str(m, "IdPrefix");
    if (s->idPrefix.empty())
        s->idPrefix = s->type.substr(0, 3);
    s->folder = str(m, "Folder");
    if (s->folder.empty())
        s->folder = s->pluginId;
    if (s->folder.find("..") != std::string::npos || s->folder.front() == '/') {
        *error = "manifest: \"Folder\" must be a relative folder inside the root";
        return false;
    }
    labels(m, &s->labelZh, &s->labelEn);
    if (s->labelEn.empty())
        s->labelEn = s->type;
    if (s->labelZh.empty())
        s->labelZh = s->labelEn;
    for (const auto &v : m.value(QLatin1String("Fields")).toArray()) {
        FieldSpec f;
        if (!v.isObject() || !parseField(v.toObject(), &f, error)) {
            if (error->empty())
                *error = "Fields: entries must be objects";
            return false;
        }
        if (isCommonField(f.name) || s->find(f.name)) {
            *error = "Fields." + f.name + ": declared twice (or clashes with a common key)";
            return false;
        }
        s->fields.push_back(std::move(f));
    }
    for (const auto &v : m.value(QLatin1String("Sections")).toArray()) {
        QJsonObject o = v.toObject();
        s->sections.push_back({str(o, "zh"), str(o, "en")});
    }
    return true;
}

} // namespace kb
