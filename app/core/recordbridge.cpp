#include "core/recordbridge.h"

#include "core/record.h"
#include "core/schema.h"

#include <QJsonArray>

#include <algorithm>
#include <utility>
#include <vector>

namespace kb {

Kb::RecordData toRecordData(const Record &record, const std::string &id, const TypeSchema *schema)
{
    Kb::RecordData d;
    d.id = QString::fromStdString(id);
    d.path = QString::fromStdString(record.path);
    d.body = QString::fromStdString(record.body);
    std::vector<std::pair<QString, QJsonValue>> fields;
    fields.reserve(record.fields.size());
    for (const auto &[key, value] : record.fields) {
        QString k = QString::fromStdString(key);
        const FieldSpec *spec = schema ? schema->find(key) : nullptr;
        if (value.kind == FieldValue::Kind::Null) {
            fields.emplace_back(std::move(k), QJsonValue::Null);
        } else if (value.kind == FieldValue::Kind::List ||
                   (spec && spec->type == FieldType::List)) {
            QJsonArray a;
            for (const auto &item : value.asList())
                a.append(QString::fromStdString(item));
            fields.emplace_back(std::move(k), a);
        } else if (spec && spec->type == FieldType::Bool) {
            fields.emplace_back(std::move(k), value.scalar == "true" || value.scalar == "yes");
        } else {
            fields.emplace_back(std::move(k), QString::fromStdString(value.asText()));
        }
    }
    // QJsonObject keeps its keys sorted and inserts by shifting the ones after: in file
    // order that is quadratic in the number of keys, in key order each insert appends.
    // Stable, so a repeated key still ends with its last value.
    std::stable_sort(fields.begin(), fields.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (auto &[key, value] : fields)
        d.fields.insert(key, value);
    return d;
}

} // namespace kb
