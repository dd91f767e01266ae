#pragma once

#include <kb/sdk.h>

#include <QObject>

// Improvement proposals followed until the loop is closed and the customer heard back.
class ImprovementsPlugin : public QObject, public Kb::RecordType {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE "improvements.json")
    Q_INTERFACES(Kb::RecordType)

public:
    QList<Kb::Issue> validate(const Kb::RecordData &record, Kb::Host &host) const override;
    int runVerb(const QString &verb, const QStringList &args, Kb::Host &host) override;

private:
    int changeStatus(const QStringList &args, Kb::Host &host);
    int listOverdue(const QStringList &args, Kb::Host &host);
    int board(const QStringList &args, Kb::Host &host);
};
