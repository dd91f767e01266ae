#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kb::web {

// The Chinese of the server's English messages a person sees in the web app (field
// errors, refusals, query errors, sign-in answers), by pattern: in the English, "{}"
// stands for any text (a value, a name, a column), and the Chinese places those texts by
// number ({0}, {1}, ...; {0*} when that text is a message to translate too). "" when no
// pattern knows the message: the page then shows the
// English, so a new message is never lost, only untranslated.
std::string chineseFor(const std::string &english);

// The patterns the loaded plugins' manifests give ("Messages"), tried after kb's own.
// Replaced whenever kb serve loads its plugins anew; safe to call while others translate.
void setPluginMessages(const std::vector<std::pair<std::string, std::string>> &patterns);

} // namespace kb::web
