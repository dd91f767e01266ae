#pragma once

#include <kb/host.h>

#include <string>

namespace kb {
class Session;

// The host side of the SDK: what plugins may ask of kb while they run.
class HostServices : public Kb::Host {
public:
    explicit HostServices(Session &session) : session_(session) {}
    // Collects what the plugin prints instead of writing to stdout/stderr (the web API).
    HostServices(Session &session, std::string *out, std::string *err)
        : session_(session), capturedOut_(out), capturedErr_(err)
    {
    }

    QList<Kb::RecordData> records(const QString &type) const override;
    bool record(const QString &id, Kb::RecordData *out) const override;
    bool updateRecord(const QString &id, const QJsonObject &set, const QString &appendToBody,
                      QString *error) override;
    QString today() const override;
    QString vocabularyLabel(const QString &vocabulary, const QString &id,
                            const QString &lang) const override;
    QStringList vocabularyIds(const QString &vocabulary) const override;
    void print(const QString &text) override;
    void printError(const QString &text) override;
    bool isTerminal() const override;

private:
    Session &session_;
    std::string *capturedOut_ = nullptr, *capturedErr_ = nullptr;
};

} // namespace kb
