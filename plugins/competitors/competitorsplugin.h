#pragma once

#include <kb/sdk.h>

#include <QObject>

// Competitor intelligence: graded, sourced, dated, and lawfully obtained.
class CompetitorsPlugin : public QObject, public Kb::RecordType {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE "competitors.json")
    Q_INTERFACES(Kb::RecordType)

public:
    QList<Kb::Issue> validate(const Kb::RecordData &record, Kb::Host &host) const override;
    int runVerb(const QString &verb, const QStringList &args, Kb::Host &host) override;

private:
    int battlecard(const QStringList &args, Kb::Host &host);
};
