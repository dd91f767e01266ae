#pragma once

#include <string>

class QJsonDocument;

namespace kb {

void printOut(const std::string &text);
void printErr(const std::string &text);
void printJson(const QJsonDocument &doc);
// "kb CMD: message" plus a hint to --help; returns exit code 2.
int usageError(const std::string &command, const std::string &message);
// "kb: message"; returns exit code 2 (environment errors: no root, unreadable file ...).
int environmentError(const std::string &message);

} // namespace kb
