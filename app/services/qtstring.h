#pragma once

#include <QString>

#include <string>

namespace kb {

// Standard strings inside, QString at the Qt boundary (JSON): one short spelling.
inline QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace kb
