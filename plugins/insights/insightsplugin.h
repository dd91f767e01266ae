#pragma once

#include <kb/sdk.h>

#include <QObject>

// Reports that cut across record types: the touchpoint journey and the pre-meeting brief.
class InsightsPlugin : public QObject, public Kb::RecordType {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE "insights.json")
    Q_INTERFACES(Kb::RecordType)

public:
    QList<Kb::Issue> validate(const Kb::RecordData &, Kb::Host &) const override { return {}; }
    int runVerb(const QString &verb, const QStringList &args, Kb::Host &host) override;

private:
    int touchpointReport(const QStringList &args, Kb::Host &host);
    int brief(const QStringList &args, Kb::Host &host);
};
