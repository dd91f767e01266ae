#pragma once

#include <QJsonArray>

#include <string>

namespace kb {

// A server's private list file under ROOT/.kb (accounts, personal tokens): a JSON array,
// written atomically with mode 600 since it holds hashes nobody else needs to read.
// Reading a missing file gives an empty list; a file that is no JSON array is an error
// naming it and saying it should hold `what` ("accounts", "tokens").
QJsonArray readPrivateJsonList(const std::string &path, const char *what, std::string *error);
bool writePrivateJsonList(const std::string &path, const QJsonArray &list, std::string *error);

} // namespace kb
