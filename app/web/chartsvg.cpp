#include "web/chartsvg.h"

#include <QJsonArray>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kb::web {

namespace {

std::string xml(const QString &text)
{
    return text.toHtmlEscaped().toStdString(); // & < > " as entities
}

QString label(const QJsonObject &o, const std::string &lang)
{
    const QString mine = o.value(QString::fromStdString(lang)).toString();
    return mine.isEmpty() ? o.value(lang == "zh" ? "en" : "zh").toString() : mine;
}

std::string number(double v)
{
    char buf[32];
    if (std::fabs(v - std::round(v)) < 1e-9)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else
        std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string px(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// Shortened to fit the label column; the full text stays in the row's title.
QString fitted(const QString &text, int maxWidth)
{
    int width = 0;
    for (int i = 0; i < text.size(); ++i) {
        width += text.at(i).unicode() >= 0x2E80 ? 2 : 1; // CJK is two columns
        if (width > maxWidth)
            return text.left(i) + QStringLiteral("…");
    }
    return text;
}

const char *const kColours[] = {"#2e90fa", "#12b76a", "#f79009", "#b42318",
                                "#7a5af8", "#06aed4", "#667085", "#ee46bc"};

} // namespace

std::string chartSvg(const QJsonObject &chart, const std::string &lang)
{
    const QJsonArray series = chart.value("series").toArray();
    const QJsonArray bars = chart.value("bars").toArray();
    const QString unit = label(chart.value("unit").toObject(), lang);
    const double width = 720, labelWidth = 210, barArea = 440, rowHeight = 26, top = 6;
    double most = 0;
    for (const QJsonValue &b : bars) {
        double total = 0;
        for (const QJsonValue &v : b.toObject().value("values").toArray())
            total += std::max(0.0, v.toDouble());
        most = std::max(most, total);
    }
    const double scale = most > 0 ? barArea / most : 0;
    const bool legend = series.size() > 1;
    const double legendTop = top + rowHeight * bars.size() + 10;
    const double height =
        legend ? legendTop + 24 * ((series.size() + 3) / 4) : top + rowHeight * bars.size() + 6;
    const QString title = label(chart, lang);
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + px(width) + " " +
                      px(std::max(height, 30.0)) + "\" role=\"group\" aria-label=\"" + xml(title) +
                      "\" font-size=\"13\" fill=\"#1d2430\"><title>" + xml(title) + "</title>";
    if (bars.isEmpty())
        out += "<text x=\"0\" y=\"20\" fill=\"#667085\">" +
               std::string(lang == "zh" ? "(无数据)" : "(no data)") + "</text>";
    for (int row = 0; row < bars.size(); ++row) {
        const QJsonObject b = bars.at(row).toObject();
        const QJsonArray values = b.value("values").toArray();
        const QJsonArray queries = b.value("queries").toArray();
        const QString name = label(b, lang);
        const double y = top + rowHeight * row;
        out += "<text x=\"" + px(labelWidth - 8) + "\" y=\"" + px(y + 17) +
               "\" text-anchor=\"end\"><title>" + xml(name) + "</title>" + xml(fitted(name, 24)) +
               "</text>";
        double x = labelWidth, total = 0;
        for (int k = 0; k < values.size(); ++k) {
            const double v = std::max(0.0, values.at(k).toDouble());
            total += v;
            if (v <= 0)
                continue;
            const double w = std::max(2.0, v * scale);
            const QString part =
                series.size() > 1 ? name + " · " + label(series.at(k).toObject(), lang) : name;
            // "1 improvement", "2 improvements": English units are given plural.
            const QString units =
                lang == "en" && v == 1 && unit.endsWith('s') ? unit.chopped(1) : unit;
            const std::string said =
                xml(part + ": " + QString::fromStdString(number(v)) + " " + units);
            const QString query = queries.at(k).toString();
            const std::string rect = "<rect x=\"" + px(x) + "\" y=\"" + px(y + 4) + "\" width=\"" +
                                     px(w) + "\" height=\"" + px(rowHeight - 8) + "\" fill=\"" +
                                     kColours[k % 8] + "\" rx=\"2\"><title>" + said +
                                     "</title></rect>";
            if (!query.isEmpty())
                out += "<a href=\"/search?q=" + QUrl::toPercentEncoding(query).toStdString() +
                       "\" data-nav=\"\" aria-label=\"" + said + "\">" + rect + "</a>";
            else
                out += rect;
            x += w;
        }
        out += "<text x=\"" + px(x + 6) + "\" y=\"" + px(y + 17) + "\" fill=\"#344054\">" +
               number(total) + "</text>";
    }
    if (legend)
        for (int k = 0; k < series.size(); ++k) {
            const double lx = (k % 4) * 175, ly = legendTop + 24 * (k / 4);
            out += "<rect x=\"" + px(lx) + "\" y=\"" + px(ly + 3) +
                   "\" width=\"12\" height=\"12\" fill=\"" + kColours[k % 8] +
                   "\" rx=\"2\"/><text x=\"" + px(lx + 18) + "\" y=\"" + px(ly + 14) + "\">" +
                   xml(fitted(label(series.at(k).toObject(), lang), 22)) + "</text>";
        }
    return out + "</svg>";
}

} // namespace kb::web
