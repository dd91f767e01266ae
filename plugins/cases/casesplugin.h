#pragma once

#include <kb/sdk.h>

#include <QObject>

// Case studies that new sales staff read before meeting a customer.
class CasesPlugin : public QObject, public Kb::RecordType {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE "cases.json")
    Q_INTERFACES(Kb::RecordType)

public:
    QList<Kb::Issue> validate(const Kb::RecordData &record, Kb::Host &host) const override;
    int runVerb(const QString &verb, const QStringList &args, Kb::Host &host) override;
};
