#pragma once

#include <string>

namespace kb::web {

// The Chinese of the server's English messages a person sees in the web app (field
// errors, refusals, query errors, sign-in answers), by pattern: in the English, "{}"
// stands for any text (a value, a name, a column), and the Chinese places those texts by
// number ({0}, {1}, ...). "" when no pattern knows the message: the page then shows the
// English, so a new message is never lost, only untranslated.
std::string chineseFor(const std::string &english);

} // namespace kb::web
