#pragma once

#include <kb/host.h>

#include <functional>
#include <string>

namespace kb {
class Session;
struct Record;

// The host side of the SDK: what plugins may ask of kb while they run.
class HostServices : public Kb::Host {
public:
    explicit HostServices(Session &session) : session_(session) {}
    // Collects what the plugin prints instead of writing to stdout/stderr (the web API).
    HostServices(Session &session, std::string *out, std::string *err)
        : session_(session), capturedOut_(out), capturedErr_(err)
    {
    }

    // Records the caller may not see do not exist for the plugin: not listed, not found
    // by id, not updated, and their ids are left out of other records' references. The
    // web API sets this for clients not cleared for restricted records, so no view a
    // plugin draws (a board, the journey's counts, a brief) can show or count them.
    void setVisibility(std::function<bool(const Record &)> visible)
    {
        visible_ = std::move(visible);
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
    QJsonObject recordTypeSchema(const QString &type) const override;
    QString userName() const override;

private:
    bool visible(const Record &r) const { return !visible_ || visible_(r); }
    const Record *visibleRecord(const QString &id) const;
    Kb::RecordData dataOf(const Record &r) const;

    Session &session_;
    std::function<bool(const Record &)> visible_;
    std::string *capturedOut_ = nullptr, *capturedErr_ = nullptr;
};

} // namespace kb
