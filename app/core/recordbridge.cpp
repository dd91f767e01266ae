#include "recordbridge.h"

#include "record.h"
#include "schema.h"

#include <QJsonArray>

namespace kb {

Kb::RecordData toRecordData(const Record &record, const std::string &id, const TypeSchema *schema)
{
    Kb::RecordData d;
    d.id = QString::fromStdString(id);
    d.path = QString::fromStdString(record.path);
    d.body = QString::fromStdString(record.body);
    for (const auto &[key, value] : record.fields) {
        const QString k = QString::fromStdString(key);
        const FieldSpec *spec = schema ? schema->find(key) : nullptr;
        if (value.kind == FieldValue::Kind::Null) {
            d.fields.insert(k, QJsonValue::Null);
        } else if (value.kind == FieldValue::Kind::List ||
                   (spec && spec->type == FieldType::List)) {
            QJsonArray a;
            for (const auto &item : value.asList())
                a.append(QString::fromStdString(item));
            d.fields.insert(k, a);
        } else if (spec && spec->type == FieldType::Bool) {
            d.fields.insert(k, value.scalar == "true" || value.scalar == "yes");
        } else {
            d.fields.insert(k, QString::fromStdString(value.asText()));
        }
    }
    return d;
}

} // namespace kb
