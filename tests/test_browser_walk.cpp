// Every page of the web app, walked as a newcomer would (issue #19): at a desktop's and a
// phone's width, in Chinese and in English, on the shipped content. Oracles that hold for
// any page: nothing scrolls sideways, the page's language is the one chosen, and axe-core
// (the accessibility checker, fetched by ./dev into .cache/axe/) finds no serious or
// critical violation of WCAG 2.1 A/AA.
#include "kbrunner.h"
#include "serveprocess.h"
#include "webdriver.h"

#include <gtest/gtest.h>

#include <QJsonArray>

#include <fstream>
#include <sstream>
#include <thread>

using namespace kbtest;

namespace {

std::string readWholeFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Whether the page has drawn what it loads (no "loading" left in the app's area).
const char *const kDrawn = "document.getElementById('app').children.length > 0 && "
                           "!/加载中|Loading…/.test(document.getElementById('app').innerText) && "
                           "!document.querySelector('#app p.muted:only-child')";

} // namespace

TEST(BrowserWalk, EveryPageAtBothWidthsInBothLanguagesHasNoSideScrollAndNoSeriousAxeViolation)
{
    const std::string axe = readWholeFile(KB_SOURCE_DIR "/.cache/axe/axe.min.js");
    ASSERT_GT(axe.size(), 100000u) << "axe-core is missing: ./dev test fetches it into "
                                      ".cache/axe/axe.min.js from the npm registry";
    TempDir dir;
    copyShippedContent(dir);
    ServeProcess server(dir.path());
    Browser browser;
    const std::vector<std::string> pages = {
        "/",
        "/search?q=%E5%89%B2%E6%8E%A5",           // 割接
        "/search?q=cutover%20rollback&sort=date", // English words, another order
        "/search?q=type%3Afoo",                   // a filter that cannot match
        "/record/les-20170922-cutover-rollback",
        "/record/case-2010-tm-iptv",
        "/new",
        "/new/lesson",
        "/edit/les-20170922-cutover-rollback",
        "/view/improvements/board",
        "/view/insights/journey",
        "/view/insights/brief?customers=tm-malaysia",
        "/view/competitors/battlecards?competitors=vendor-a",
        "/view/insights/dashboard",
        "/users",
        "/no-such-page",
    };
    int checked = 0;
    for (const std::string lang : {"zh", "en"}) {
        browser.open(server.url() + "/");
        browser.eval("(localStorage.setItem('kb.lang', " + jsLiteral(lang) + "), 0)");
        for (const auto &[width, height] : {std::pair{1280, 800}, std::pair{390, 844}}) {
            browser.resize(width, height);
            for (const std::string &page : pages) {
                const std::string where =
                    page + " (" + lang + ", " + std::to_string(width) + " px)";
                browser.open(server.url() + page);
                ASSERT_TRUE(browser.waitFor(kDrawn)) << where << " never finished drawing";
                std::this_thread::sleep_for(std::chrono::milliseconds(300)); // late parts
                EXPECT_EQ(browser.eval("document.documentElement.lang").toString().toStdString(),
                          lang)
                    << where;
                EXPECT_TRUE(
                    browser.eval("document.documentElement.scrollWidth <= window.innerWidth")
                        .toBool())
                    << where << " scrolls sideways: "
                    << browser
                           .eval("[...document.querySelectorAll('body *')].filter(e => "
                                 "e.getBoundingClientRect().right > window.innerWidth + 1)"
                                 ".slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + "
                                 "e.id).join(' ')")
                           .toString()
                           .toStdString();
                // No English interface string on a Chinese page (and the page's own
                // strings are the oracle: every text the app can show in both languages).
                if (lang == "zh") {
                    const QJsonArray english =
                        browser
                            .eval("Object.keys(STRINGS.en).map(k => STRINGS.en[k]).filter(v => "
                                  "typeof v === 'string' && v.trim().length >= 8 && "
                                  "!/[\\u3400-\\u9fff]/.test(v) && "
                                  "!Object.values(STRINGS.zh).includes(v) && "
                                  "document.getElementById('app').innerText.includes(v) || "
                                  "typeof v === 'string' && v.trim().length >= 8 && "
                                  "document.querySelector('header').innerText.includes(v) && "
                                  "!Object.values(STRINGS.zh).includes(v))")
                            .toArray();
                    for (const auto &v : english)
                        ADD_FAILURE() << where << ": English on the Chinese page: '"
                                      << v.toString().toStdString() << "'";
                    // What the server says (errors) is in Chinese too.
                    const QJsonArray untranslated =
                        browser
                            .eval("[...document.querySelectorAll('#app .error, #app .note, #app "
                                  ".field-error')].map(e => e.textContent.trim()).filter(t => "
                                  "t && !/[\\u3400-\\u9fff]/.test(t))")
                            .toArray();
                    for (const auto &v : untranslated)
                        ADD_FAILURE() << where << ": a message only in English: '"
                                      << v.toString().toStdString() << "'";
                }
                // Nothing drawn over anything else where columns and cards stack.
                if (page == "/view/improvements/board") {
                    EXPECT_TRUE(browser
                                    .eval("[...document.querySelectorAll('#board .column')].every("
                                          "c => c.getBoundingClientRect().height >= 40)")
                                    .toBool())
                        << where << ": a board column collapsed under its cards";
                }
                if (browser.eval("typeof window.axe").toString() != "object")
                    browser.run(axe);
                browser.eval(
                    "(window.__axe = null, axe.run(document, {runOnly: {type: 'tag', values: "
                    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => { window.__axe = "
                    "r.violations.filter(v => v.impact === 'serious' || v.impact === "
                    "'critical').map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, "
                    "3).map(n => n.target.join(' ')).join(' | ')); }, e => { window.__axe = "
                    "['axe failed: ' + e]; }), 0)");
                ASSERT_TRUE(browser.waitFor("window.__axe !== null", 60)) << where;
                const QJsonArray violations = browser.eval("window.__axe").toArray();
                for (const auto &v : violations)
                    ADD_FAILURE() << where << ": " << v.toString().toStdString();
                if (width == 1280 && page.rfind("/view/competitors/", 0) == 0)
                    browser.screenshot(artifactPath("walk-" + lang + "-battlecard.png"));
                if (width == 390 && (page == "/view/improvements/board" || page == "/"))
                    browser.screenshot(artifactPath("walk-" + lang + "-phone" +
                                                    (page == "/" ? "-home" : "-board") + ".png"));
                ++checked;
            }
        }
    }
    EXPECT_EQ(checked, int(pages.size()) * 4);
}

// The manager's dashboard (issue #19, point 6): five charts drawn by the server, and the
// oracle that every number is what it says: each bar of "overdue by owner" links to a
// search that finds exactly as many records, and following one shows them.
TEST(BrowserWalk, EveryBarOfTheDashboardLeadsToExactlyTheRecordsItCounts)
{
    TempDir dir;
    copyShippedContent(dir);
    ServeProcess server(dir.path());
    Browser browser;
    browser.resize(1280, 900);
    browser.open(server.url() + "/view/insights/dashboard");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.chart svg').length === 5"))
        << browser.eval("document.getElementById('app').innerText").toString().toStdString();
    browser.screenshot(artifactPath("dashboard.png"));
    const int bars =
        browser.eval("document.querySelectorAll('#chart-overdue-by-owner svg a').length").toInt();
    ASSERT_GT(bars, 0) << "the shipped content has overdue improvements";
    browser.eval(
        "(window.__bars = null, Promise.all([...document.querySelectorAll("
        "'#chart-overdue-by-owner svg a')].map(async a => { const q = new "
        "URL(a.getAttribute('href'), location.href).searchParams.get('q'); const r = "
        "await (await fetch('/api/search?limit=1&exact=1&q=' + encodeURIComponent(q))).json(); "
        "return [a.getAttribute('aria-label'), r.total]; })).then(x => window.__bars = x), 0)");
    ASSERT_TRUE(browser.waitFor("window.__bars !== null"));
    const QJsonArray checked = browser.eval("window.__bars").toArray();
    ASSERT_EQ(checked.size(), bars);
    for (const auto &pair : checked) {
        const std::string said = pair.toArray()[0].toString().toStdString(); // "NAME: N 条"
        const int shown = std::stoi(said.substr(said.rfind(": ") + 2));
        EXPECT_EQ(shown, pair.toArray()[1].toInt()) << said;
    }
    // Following a bar is a search, in the page.
    browser.eval("(document.querySelector('#chart-overdue-by-owner svg a').dispatchEvent(new "
                 "MouseEvent('click', {bubbles: true, cancelable: true})), 0)");
    ASSERT_TRUE(browser.waitFor("location.pathname === '/search' && "
                                "document.querySelectorAll('.hit').length > 0"));
}
