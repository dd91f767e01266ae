#include "services/output.h"

#include "core/displaytext.h"

#include <QJsonDocument>

#include <cstdio>

namespace kb {

void printOut(const std::string &text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
}

void printErr(const std::string &text)
{
    std::fflush(stdout);
    std::fwrite(text.data(), 1, text.size(), stderr);
}

void printJson(const QJsonDocument &doc)
{
    QByteArray bytes = doc.toJson(QJsonDocument::Indented);
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stdout);
}

int usageError(const std::string &command, const std::string &message)
{
    printErr("kb " + displayLine(command) + ": " + displayLine(message) + "\nTry 'kb " +
             displayLine(command) + " --help'.\n");
    return 2;
}

int environmentError(const std::string &message)
{
    printErr("kb: " + displayLine(message) + "\n");
    return 2;
}

} // namespace kb
