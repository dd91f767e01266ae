#pragma once

#include <QJsonObject>

#include <string>

namespace kb::web {

// One chart of a "charts" view (Kb::Chart's JSON) as an SVG drawing: horizontal bars, one
// row per bar, its series stacked left to right, each part a link to the search behind
// it, a legend when there are several series; a group of links to assistive technology. Labels in
// `lang` ("zh" or "en"). Every text from the plugin is escaped; the drawing holds no script and no
// style attribute, so the page's CSP allows it inline.
std::string chartSvg(const QJsonObject &chart, const std::string &lang);

} // namespace kb::web
