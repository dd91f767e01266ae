// The web app in a real headless Chromium: what a user clicks, types and sees. Each test
// leaves a screenshot in <build>/test-artifacts.
#include "kbrunner.h"
#include "serveprocess.h"
#include "webdriver.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

using namespace kbtest;

namespace {

std::string js(const std::string &s) // a JS string literal
{
    return jsLiteral(s);
}

class BrowserTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        initRoot(dir);
        cutoverId = newRecord({"lesson", "--title", "核心网割接失败后回退成功", "--touchpoint",
                               "tp07-install-cutover", "--customer", "tm-malaysia"},
                              "## 背景\n\n夜间割接,回退预案二十分钟内恢复业务。\n");
        newRecord({"lesson", "--title", "投标报价准备复盘", "--touchpoint", "tp01-proposal"},
                  "报价只准备了一套,客户口径变化时被动。\n");
        improvementId = newRecord({"improvement", "--title", "割接前全量配置比对", "--source",
                                   "retrospective", "--owner", "王磊", "--due", "2030-06-30"},
                                  "割接前没有比对现网配置。\n");
        server = std::make_unique<ServeProcess>(dir.path());
    }

    std::string newRecord(std::vector<std::string> args, const std::string &body)
    {
        args.insert(args.begin(), "new");
        args.push_back("--json");
        RunResult r = runKb(args, dir.path());
        EXPECT_EQ(r.exitCode, 0) << r.err;
        const std::string id = QJsonDocument::fromJson(QByteArray::fromStdString(r.out))
                                   .object()
                                   .value("id")
                                   .toString()
                                   .toStdString();
        EXPECT_EQ(runKb({"edit", id, "--append", body}, dir.path()).exitCode, 0);
        return id;
    }

    // Presses Save on a record form and waits for the record page; when it does not come,
    // the failure carries the form's message.
    ::testing::AssertionResult saveLeadsToRecordPage()
    {
        browser.click("#save");
        if (browser.waitFor("location.pathname.startsWith('/record/')"))
            return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure()
               << browser.eval("document.querySelector('.formstatus').textContent")
                      .toString()
                      .toStdString();
    }

    TempDir dir;
    std::string cutoverId, improvementId;
    std::unique_ptr<ServeProcess> server;
    Browser browser;
};

// Run alone before the others (tests/CMakeLists.txt): the cold first start of Chromium.
TEST(BrowserWarmup, ChromiumStarts)
{
    Browser browser(240);
    browser.open("data:text/html,<p id=x>ok</p>");
    EXPECT_EQ(browser.text("#x"), "ok");
}

TEST_F(BrowserTest, ChineseSearchShowsTheExpectedRecordFirst)
{
    browser.open(server->url() + "/");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#q')"));
    browser.type("#q", "割接 回退");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit').length > 0"))
        << "no results appeared while typing";
    EXPECT_EQ(browser.text(".hit h3 a"), "核心网割接失败后回退成功");
    EXPECT_TRUE(browser.eval("document.querySelector('.hit mark') !== null").toBool());
    // The record with only 割接 follows the one with both words, below a divider.
    ASSERT_TRUE(browser.waitFor("document.querySelector('#partial-divider') !== null"));
    EXPECT_EQ(browser
                  .eval("document.querySelector('#partial-divider').nextElementSibling"
                        ".querySelector('h3').textContent")
                  .toString()
                  .toStdString(),
              "割接前全量配置比对");
    // The query is in the URL, so the search can be shared.
    EXPECT_NE(browser.url().find("q="), std::string::npos);
    // A facet narrows the results and shows up in the query.
    browser.click(".facet[data-filter='type:lesson']");
    ASSERT_TRUE(browser.waitFor("location.search.includes('type%3Alesson')"));
    browser.screenshot(artifactPath("search-chinese.png"));
    browser.click(".hit h3 a");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#record-title')"));
    EXPECT_EQ(browser.text("#record-title"), "核心网割接失败后回退成功");
    EXPECT_TRUE(browser.waitFor("document.querySelector('#record-body h2')"));
}

TEST_F(BrowserTest, AnImprovementAlreadyDoneIsOfferedWithItsQuestionWhileFiling)
{
    // The config-comparison improvement is carried out (through its own lifecycle).
    for (const char *status : {"accepted", "in-progress", "implemented"})
        ASSERT_EQ(runKb({"improvements", "status", improvementId, status}, dir.path()).exitCode, 0)
            << status;
    browser.open(server->url() + "/new/lesson");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#record-form')"));
    browser.type("#f\\.title", "割接前没有做全量配置比对");
    // The open lesson is offered plainly; the improvement already done asks the question.
    const std::string box = "document.querySelector('#recurrence')";
    EXPECT_TRUE(browser.waitFor("!" + box + ".hidden && [..." + box +
                                ".querySelectorAll('li')].some(li => li.textContent.includes("
                                "'割接前全量配置比对') && li.querySelector('.closed-ask'))"))
        << browser.eval(box + " ? " + box + ".outerHTML : 'no box'").toString().toStdString();
    EXPECT_FALSE(browser
                     .eval("[...document.querySelectorAll('#recurrence li')].some(li => "
                           "li.textContent.includes('核心网割接失败后回退成功') && "
                           "li.querySelector('.closed-ask'))")
                     .toBool());
    browser.screenshot(artifactPath("recurrence-closed.png"));
}

TEST_F(BrowserTest, OnAPhoneTheHitsComeFirstAndNothingOverflows)
{
    browser.resize(420, 900);
    browser.open(server->url() + "/search?q=%E5%89%B2%E6%8E%A5"); // 割接
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit').length > 0"));
    EXPECT_TRUE(browser.eval("document.documentElement.scrollWidth <= window.innerWidth").toBool())
        << "the page scrolls sideways";
    EXPECT_TRUE(browser
                    .eval("document.querySelector('#results').getBoundingClientRect().top < "
                          "document.querySelector('#facets').getBoundingClientRect().top")
                    .toBool())
        << "the filters push the hits off the screen";
    browser.screenshot(artifactPath("search-phone.png"));
}

TEST_F(BrowserTest, FileALessonThroughTheFormAndFindIt)
{
    browser.open(server->url() + "/new/lesson");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#record-form')"));
    // Saving with the required touchpoint missing shows the error next to that field.
    browser.type("#f\\.title", "海缆登陆站割接演练总结");
    // While the title is typed, the existing cutover lesson is offered (seen before?).
    EXPECT_TRUE(browser.waitFor("!document.querySelector('#recurrence').hidden && "
                                "document.querySelector('#recurrence').textContent.includes("
                                "'核心网割接失败后回退成功')"))
        << browser
               .eval("document.querySelector('#recurrence') ? "
                     "document.querySelector('#recurrence').outerHTML : 'no box'")
               .toString()
               .toStdString();
    browser.click("#save");
    ASSERT_TRUE(browser.waitFor(
        "document.querySelector(\".field-error[data-for='touchpoint']\").textContent.length > 0"));
    // In the Chinese page the server's words come in Chinese, and the focus is on the field.
    EXPECT_EQ(browser.text(".field-error[data-for='touchpoint']"), "必填");
    EXPECT_EQ(browser.eval("document.activeElement.name").toString(), "f.touchpoint");
    browser.click("input[name='f.touchpoint'][value='tp07-install-cutover']");
    browser.click("#f\\.customer option[value='tm-malaysia']");
    browser.type("#f\\.section0", "登陆站夜间割接,演练三次后一次成功。");
    browser.screenshot(artifactPath("file-lesson-form.png"));
    ASSERT_TRUE(saveLeadsToRecordPage());
    EXPECT_EQ(browser.text("#record-title"), "海缆登陆站割接演练总结");

    browser.open(server->url() + "/search?q=" + "%E6%B5%B7%E7%BC%86%E7%99%BB%E9%99%86"); // 海缆登陆
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit').length > 0"));
    EXPECT_EQ(browser.text(".hit h3 a"), "海缆登陆站割接演练总结");
    browser.screenshot(artifactPath("file-lesson-found.png"));
    // On disk, under the type's folder, valid for kb check.
    RunResult check = runKb({"check"}, dir.path());
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
}

TEST_F(BrowserTest, MoveAnImprovementToTheNextStatusOnTheBoard)
{
    browser.open(server->url() + "/view/improvements/board");
    const std::string card = ".card[data-id='" + improvementId + "']";
    ASSERT_TRUE(browser.waitFor("document.querySelector(" + js(card) + ")"));
    EXPECT_EQ(
        browser.eval("document.querySelector(" + js(card) + ").closest('.column').dataset.column")
            .toString(),
        "proposed");
    browser.click(card + " .move-to option[value='accepted']");
    browser.type(card + " .move-note", "评审会通过");
    browser.click(card + " .move-go");
    ASSERT_TRUE(browser.waitFor(
        "(document.querySelector(" + js(card) +
        ") || {closest: () => ({dataset: {}})}).closest('.column').dataset.column === 'accepted'"));
    browser.screenshot(artifactPath("board-moved.png"));
    const std::string file = dir.read("improvements/" + improvementId + ".md");
    EXPECT_NE(file.find("status: accepted"), std::string::npos);
    EXPECT_NE(file.find("评审会通过"), std::string::npos);
}

TEST_F(BrowserTest, JourneyShowsEveryTouchpointAsALinkToItsSearch)
{
    browser.open(server->url() + "/view/insights/journey");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.station').length > 0"));
    EXPECT_EQ(browser.eval("document.querySelectorAll('.station').length").toInt(), 2);
    // The cutover station counts its lesson, and its bar leads to those records.
    EXPECT_EQ(
        browser.eval("document.querySelectorAll('.station')[1].querySelector('.bar').dataset.count")
            .toString(),
        "1");
    browser.screenshot(artifactPath("journey.png"));
    browser.click(".station:nth-child(2) .bars a");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit').length > 0"));
    EXPECT_EQ(browser.text(".hit h3 a"), "核心网割接失败后回退成功");
    // English UI, labels from the schemas and vocabularies.
    browser.click("#lang");
    ASSERT_TRUE(browser.waitFor("document.documentElement.lang === 'en'"));
    EXPECT_EQ(browser.text("#nav a"), "Search");
}

// Dates read as the reader's language writes them (2030年6月30日, Jun 30, 2030), with the
// stored date kept in <time datetime>, on the record page, in search hits and on the board.
TEST_F(BrowserTest, DatesAreShownInTheReadersLanguage)
{
    browser.open(server->url() + "/record/" + improvementId);
    const std::string due = "document.querySelector('dd[data-field=due] time')";
    ASSERT_TRUE(browser.waitFor(due + " !== null"));
    EXPECT_EQ(browser.eval(due + ".getAttribute('datetime')").toString(), "2030-06-30");
    EXPECT_EQ(browser.eval(due + ".textContent").toString(), "2030年6月30日");
    const std::string head = "document.querySelector('.recordhead .meta').textContent";
    EXPECT_TRUE(browser.eval("/\\d{4}年\\d{1,2}月\\d{1,2}日/.test(" + head + ")").toBool())
        << browser.eval(head).toString().toStdString();
    browser.click("#lang");
    ASSERT_TRUE(browser.waitFor("document.documentElement.lang === 'en'"));
    ASSERT_TRUE(browser.waitFor(due + " !== null && !" + due + ".textContent.includes('年')"));
    const QString en = browser.eval(due + ".textContent").toString();
    EXPECT_TRUE(en.contains("Jun") && en.contains("30") && en.contains("2030")) << en.toStdString();
    EXPECT_FALSE(browser.eval(head).toString().contains(QRegularExpression("\\d{4}-\\d{2}-\\d{2}")))
        << browser.eval(head).toString().toStdString();
    browser.screenshot(artifactPath("dates-en.png"));
    // Search hits and the board's cards: no stored ISO date left in their meta lines.
    browser.open(server->url() + "/search?q=" + QUrl::toPercentEncoding("割接").toStdString());
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit .meta').length > 0"));
    EXPECT_FALSE(browser
                     .eval("[...document.querySelectorAll('.hit .meta')].some(m => "
                           "/\\d{4}-\\d{2}-\\d{2}/.test(m.textContent))")
                     .toBool());
    browser.open(server->url() + "/view/improvements/board");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.card .meta').length > 0"));
    const QString card =
        browser.eval("document.querySelector('.card .meta').textContent").toString();
    EXPECT_TRUE(card.contains("Jun") && card.contains("2030")) << card.toStdString();
}

TEST_F(BrowserTest, BriefChosenFromTheListLinksEveryRecordItNames)
{
    browser.open(server->url() + "/view/insights/brief");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#param-customers') !== null"));
    EXPECT_TRUE(browser.waitFor("document.querySelector('#app p.muted') !== null"))
        << "no hint before a customer is chosen";
    browser.eval("(s => { s.value = 'tm-malaysia'; s.dispatchEvent(new Event('change')); "
                 "return true; })(document.querySelector('#param-customers'))");
    ASSERT_TRUE(browser.waitFor("document.querySelector('article.markdown a code') !== null"));
    EXPECT_EQ(browser.eval("location.search").toString(), "?customers=tm-malaysia");
    EXPECT_EQ(browser.text("article.markdown a code"), cutoverId);
    browser.screenshot(artifactPath("brief.png"));
    browser.click("article.markdown a");
    ASSERT_TRUE(browser.waitFor("location.pathname === " + js("/record/" + cutoverId)));
    ASSERT_TRUE(browser.waitFor("document.querySelector('h1') !== null && "
                                "document.querySelector('h1').textContent.includes('回退')"));
}

TEST_F(BrowserTest, RecordTextIsShownAsTextNeverRun)
{
    const std::string id =
        newRecord({"lesson", "--title", "<script>alert(1)</script><img src=x onerror=alert(2)>",
                   "--touchpoint", "tp01-proposal"},
                  "<script>alert(3)</script>\n\n[click me](javascript:alert(4))\n");
    browser.open(server->url() + "/record/" + id);
    ASSERT_TRUE(browser.waitFor("document.querySelector('#record-title')"));
    EXPECT_EQ(browser.text("#record-title"),
              "<script>alert(1)</script><img src=x onerror=alert(2)>");
    EXPECT_FALSE(browser.alertOpen());
    EXPECT_EQ(browser.eval("document.querySelectorAll('#app script, #app img').length").toInt(), 0);
    EXPECT_EQ(browser
                  .eval("[...document.querySelectorAll('#record-body a')].filter(a => "
                        "a.href.startsWith('javascript')).length")
                  .toInt(),
              0);
    browser.screenshot(artifactPath("hostile-record.png"));
}

} // namespace

TEST_F(BrowserTest, EditARecordKeepingUntouchedBytesAndRefusingAStaleSave)
{
    // A comment a person wrote in the front matter: the web edit must keep it.
    const std::string path = "lessons/" + cutoverId + ".md";
    std::string original = dir.read(path);
    original.insert(original.find("\ntitle:") + 1, "# reviewed by the delivery PMO\n");
    dir.write(path, original);

    browser.open(server->url() + "/edit/" + cutoverId);
    ASSERT_TRUE(browser.waitFor("document.querySelector('#record-form')"));
    // Someone else saves the record after this form was opened: the browser is told, and
    // the other edit survives.
    ASSERT_EQ(runKb({"edit", cutoverId, "--set", "title=核心网割接回退复盘(他人修改)"}, dir.path())
                  .exitCode,
              0);
    browser.eval("(document.querySelector('#f\\\\.title').value = '', true)");
    browser.type("#f\\.title", "核心网割接失败后回退成功(已复核)");
    browser.click("#save");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#conflict')"));
    EXPECT_NE(dir.read(path).find("他人修改"), std::string::npos);

    // The conflict shows both titles; discarding mine reloads theirs, and the same change
    // then goes through.
    EXPECT_NE(browser.text("#conflict tr[data-field='title'] .theirs").find("他人修改"),
              std::string::npos);
    EXPECT_NE(browser.text("#conflict tr[data-field='title'] .mine").find("已复核"),
              std::string::npos);
    browser.click("#conflict-reload");
    ASSERT_TRUE(
        browser.waitFor("document.querySelector('#f\\\\.title') && "
                        "document.querySelector('#f\\\\.title').value.includes('他人修改')"));
    browser.eval("(document.querySelector('#f\\\\.title').value = '', true)");
    browser.type("#f\\.title", "核心网割接失败后回退成功(已复核)");
    browser.type("#f\\.body", "\n复核: 回退预案有效。\n");
    browser.screenshot(artifactPath("edit-form.png"));
    ASSERT_TRUE(saveLeadsToRecordPage());
    EXPECT_EQ(browser.text("#record-title"), "核心网割接失败后回退成功(已复核)");

    const std::string saved = dir.read(path);
    EXPECT_NE(saved.find("title: 核心网割接失败后回退成功(已复核)"), std::string::npos) << saved;
    EXPECT_NE(saved.find("# reviewed by the delivery PMO\n"), std::string::npos) << saved;
    EXPECT_NE(saved.find("复核: 回退预案有效。"), std::string::npos) << saved;
    EXPECT_NE(saved.find("\nupdated: "), std::string::npos) << saved;
    RunResult check = runKb({"check"}, dir.path());
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
}

TEST_F(BrowserTest, BeyondLoopbackATokenTypedIntoThePromptUnlocksWriting)
{
    const std::string token = "board-token-0123456789";
    ServeProcess guarded(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test"},
                         {{"KB_SERVE_TOKEN", token}});
    browser.open(guarded.url() + "/view/improvements/board");
    const std::string card = ".card[data-id='" + improvementId + "']";
    ASSERT_TRUE(browser.waitFor("document.querySelector(" + js(card) + ")"));
    // Read-only without the token: the locked token button shows, and no card can move.
    EXPECT_EQ(browser.eval("document.querySelector('#token').hidden").toBool(), false);
    EXPECT_FALSE(
        browser.eval("document.querySelector('#token').classList.contains('unlocked')").toBool());
    EXPECT_EQ(browser.eval("document.querySelectorAll('.move-go').length").toInt(), 0);

    browser.click("#token");
    bool prompted = false;
    for (int i = 0; i < 50 && !(prompted = browser.alertOpen()); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_TRUE(prompted) << "no token prompt";
    browser.answerPrompt(token);
    ASSERT_TRUE(browser.waitFor("document.querySelector(" + js(card + " .move-go") + ")"));
    EXPECT_TRUE(
        browser.eval("document.querySelector('#token').classList.contains('unlocked')").toBool());
    browser.click(card + " .move-to option[value='accepted']");
    browser.click(card + " .move-go");
    ASSERT_TRUE(browser.waitFor(
        "(document.querySelector(" + js(card) +
        ") || {closest: () => ({dataset: {}})}).closest('.column').dataset.column === 'accepted'"));
    browser.screenshot(artifactPath("token-unlocked-board.png"));
    EXPECT_NE(dir.read("improvements/" + improvementId + ".md").find("status: accepted"),
              std::string::npos);
}

// A stale save keeps both people's work: the other person's change to one field and to the
// body's end, this user's title and a changed line in the body, merged and saved.
TEST_F(BrowserTest, AStaleSaveShowsBothSidesAndKeepsWhatWasTyped)
{
    const std::string path = "lessons/" + cutoverId + ".md";
    browser.open(server->url() + "/edit/" + cutoverId);
    ASSERT_TRUE(browser.waitFor("document.querySelector('#record-form')"));
    ASSERT_EQ(
        runKb({"edit", cutoverId, "--set", "outcome=mixed", "--append", "他人补充: 备件已到。"},
              dir.path())
            .exitCode,
        0);
    browser.eval("(document.querySelector('#f\\\\.title').value = '', true)");
    browser.type("#f\\.title", "回退复盘(我的标题)");
    browser.eval("(() => { const b = document.querySelector('#f\\\\.body');"
                 " b.value = b.value.replace('夜间割接', '夜间割接(我已复核)'); return true; })()");
    browser.click("#save");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#conflict-save')"));
    // Their value as the form names it (the label of 'mixed'), not the code.
    EXPECT_EQ(browser.text("#conflict tr[data-field='outcome'] .theirs"), "有得有失");
    EXPECT_NE(browser.text("#conflict tr[data-field='title'] .mine").find("我的标题"),
              std::string::npos);
    EXPECT_NE(browser.text("#diff-theirs").find("他人补充"), std::string::npos);
    EXPECT_NE(browser.text("#diff-mine").find("我已复核"), std::string::npos);
    const std::string merged =
        browser.eval("document.querySelector('#conflict-merged').value").toString().toStdString();
    EXPECT_NE(merged.find("我已复核"), std::string::npos) << merged;
    EXPECT_NE(merged.find("他人补充"), std::string::npos) << merged;
    EXPECT_EQ(merged.find("<<<<<<<"), std::string::npos) << merged;
    browser.screenshot(artifactPath("edit-conflict.png"));
    browser.click("#conflict-save");
    ASSERT_TRUE(browser.waitFor("location.pathname.startsWith('/record/')"))
        << browser.eval("document.querySelector('.formstatus').textContent")
               .toString()
               .toStdString();
    const std::string saved = dir.read(path);
    EXPECT_NE(saved.find("title: 回退复盘(我的标题)"), std::string::npos) << saved;
    EXPECT_NE(saved.find("outcome: mixed"), std::string::npos) << saved;
    EXPECT_NE(saved.find("夜间割接(我已复核)"), std::string::npos) << saved;
    EXPECT_NE(saved.find("他人补充: 备件已到。"), std::string::npos) << saved;
}

// Every shipped record, opened in the edit form and saved without a change, stays byte for
// byte: labels and aliases in vocabulary fields, dates, lists and bodies included.
TEST(BrowserRoundTrip, EveryShippedRecordSavedUnchangedThroughTheFormStaysByteForByte)
{
    namespace fs = std::filesystem;
    TempDir root;
    copyShippedContent(root);
    std::map<std::string, std::string> before;
    for (const auto &e : fs::recursive_directory_iterator(root.path()))
        if (e.path().extension() == ".md") {
            const std::string rel = fs::relative(e.path(), root.path()).string();
            before[rel] = root.read(rel);
        }
    const QJsonArray list = QJsonDocument::fromJson(QByteArray::fromStdString(
                                                        runKb({"list", "--json"}, root.path()).out))
                                .array();
    ASSERT_GE(list.size(), 30);
    ServeProcess server(root.path());
    Browser browser;
    int saved = 0;
    for (const auto &item : list) {
        const std::string id = item.toObject()["id"].toString().toStdString();
        browser.open(server.url() + "/edit/" + id);
        if (!browser.waitFor(
                "document.querySelector('#record-form') || document.querySelector('.error')"))
            ADD_FAILURE() << id << ": no form";
        if (!browser.eval("!!document.querySelector('#record-form')").toBool())
            continue; // a plain note: not editable in the form
        browser.click("#save");
        EXPECT_TRUE(browser.waitFor("location.pathname.startsWith('/record/')"))
            << id << ": "
            << browser.eval("document.querySelector('.formstatus').textContent")
                   .toString()
                   .toStdString();
        ++saved;
    }
    EXPECT_GE(saved, 30);
    for (const auto &[rel, text] : before)
        EXPECT_EQ(root.read(rel), text) << rel;
}

// DNS rebinding, as the browser lives it: the attacker's name now resolves to the server,
// so the attacker's page is same-origin with it under that name. Its script reading the
// API gets 421 and no record; a page on another origin cannot read the answers either.
TEST_F(BrowserTest, APageUnderARebindingNameOrAnotherOriginCannotReadTheApi)
{
    const std::string readApi =
        "(() => { window.__got = null; fetch('%URL%/api/search?q=' + encodeURIComponent('割接'))"
        ".then(r => r.text().then(t => { window.__got = {status: r.status, body: t}; }))"
        ".catch(e => { window.__got = {status: 0, body: String(e)}; }); return true; })()";
    const auto attempt = [&](const std::string &base) {
        std::string script = readApi;
        script.replace(script.find("%URL%"), 5, base);
        browser.eval(script);
        EXPECT_TRUE(browser.waitFor("window.__got !== null"));
        return browser.eval("window.__got").toObject();
    };
    // On loopback, and bound beyond it (where the Host check was missing).
    ServeProcess wide(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test"});
    for (const ServeProcess *s : {server.get(), &wide}) {
        const std::string port = std::to_string(s->port());
        browser.open("http://attacker.rebind.test:" + port + "/");
        const QJsonObject rebound = attempt("");
        EXPECT_EQ(rebound.value("status").toInt(), 421) << port;
        EXPECT_EQ(rebound.value("body").toString().indexOf("核心网割接失败后回退成功"), -1)
            << rebound.value("body").toString().toStdString();
        // From another origin (a page the attacker serves elsewhere) nothing is readable.
        browser.open("data:text/html,<title>elsewhere</title>");
        const QJsonObject foreign = attempt("http://127.0.0.1:" + port);
        EXPECT_EQ(foreign.value("status").toInt(), 0)
            << foreign.value("body").toString().toStdString();
        // The server's own address works, so the probes above were refused, not broken.
        browser.open(s->url() + "/");
        const QJsonObject own = attempt("");
        EXPECT_EQ(own.value("status").toInt(), 200);
        EXPECT_NE(own.value("body").toString().indexOf("核心网割接失败后回退成功"), -1);
    }
}

// Two people change a record (the CLI, each as themselves); a third, in the browser, finds
// who changed what on its History and restores the first version, a new change in git.
TEST(BrowserHistory, TheHistoryShowsWhoChangedWhatAndRestoresAnEarlierVersion)
{
    TempDir dir;
    const std::map<std::string, std::string> git{{"GIT_CONFIG_NOSYSTEM", "1"},
                                                 {"HOME", dir.path()}};
    const auto run = [&](std::vector<std::string> args) {
        return setupGit(dir.path(), git, std::move(args));
    };
    ASSERT_EQ(run({"init", "-q", "."}).exitCode, 0);
    initRoot(dir);
    dir.write("kb.yaml", dir.read("kb.yaml") + "history: git\n");
    ASSERT_EQ(run({"add", "-A"}).exitCode, 0);
    ASSERT_EQ(run({"commit", "-q", "-m", "root"}).exitCode, 0);
    auto as = [&](const std::string &who) {
        auto env = git;
        env["KB_USER"] = who;
        return env;
    };
    RunResult made = runKb({"new", "lesson", "--title", "光缆割接复盘", "--touchpoint",
                            "tp07-install-cutover", "--outcome", "failure", "--json"},
                           dir.path(), as("王磊 <wl@example.com>"));
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const QJsonObject m = QJsonDocument::fromJson(QByteArray::fromStdString(made.out)).object();
    const std::string id = m.value("id").toString().toStdString();
    const std::string path = m.value("path").toString().toStdString();
    ASSERT_EQ(
        runKb({"edit", id, "--set", "outcome=success"}, dir.path(), as("Li Si <li@x>")).exitCode,
        0);

    ServeProcess server(dir.path());
    Browser browser;
    browser.open(server.url() + "/record/" + id);
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('#history .version').length === 2"))
        << browser.eval("document.body.innerText").toString().toStdString();
    const std::string newest = browser.text("#history .version:first-child");
    EXPECT_NE(newest.find("Li Si"), std::string::npos) << newest;
    EXPECT_NE(newest.find("结果"), std::string::npos) << newest; // the field's label
    EXPECT_NE(newest.find("failure"), std::string::npos) << newest;
    EXPECT_NE(browser.text("#history .version:nth-child(2)").find("王磊"), std::string::npos);
    // Back to the version as filed: a new version on top, nothing lost.
    browser.click("#history .version:nth-child(2) .restore");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('#history .version').length === 3"))
        << browser
               .eval("[...document.querySelectorAll('#history .field-error, #notice')].map(e "
                     "=> e.textContent).join(' | ')")
               .toString()
               .toStdString();
    browser.screenshot(artifactPath("history.png"));
    EXPECT_NE(dir.read(path).find("outcome: failure"), std::string::npos) << dir.read(path);
    const std::string top = run({"log", "-1", "--format=%an|%s"}).out;
    EXPECT_EQ(top.rfind("web|lesson " + id + ": restored ", 0), 0u) << top;
    EXPECT_NE(browser.text("#history .version:first-child").find("restored"), std::string::npos);
}

namespace {

// Signs in through the page; whether the app came back signed in as `name`.
::testing::AssertionResult signInThroughThePage(Browser &browser, const std::string &base,
                                                const std::string &name,
                                                const std::string &password)
{
    browser.open(base + "/login");
    if (!browser.waitFor("!!document.querySelector('#signin-name')"))
        return ::testing::AssertionFailure() << "no sign-in form";
    browser.type("#signin-name", name);
    browser.type("#signin-password", password);
    browser.click("#signin-submit");
    if (browser.waitFor("document.querySelector('#who .user') && document.querySelector('#who "
                        ".user').textContent === " +
                        js(name)))
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << browser.eval("document.body.innerText").toString().toStdString();
}

} // namespace

TEST(BrowserAccounts, TwoPeopleEditOneRecordFromTheirAccountsAndOneRestoresTheOthersVersion)
{
    TempDir dir;
    const std::map<std::string, std::string> git{{"GIT_CONFIG_NOSYSTEM", "1"},
                                                 {"HOME", dir.path()}};
    const auto run = [&](std::vector<std::string> args) {
        return setupGit(dir.path(), git, std::move(args));
    };
    ASSERT_EQ(run({"init", "-q", "."}).exitCode, 0);
    initRoot(dir);
    dir.write("kb.yaml", dir.read("kb.yaml") + "history: git\nserve:\n  anonymous: none\n"
                                               "  groups:\n    delivery: [file, edit]\n");
    ASSERT_EQ(run({"add", "-A"}).exitCode, 0);
    ASSERT_EQ(run({"commit", "-q", "-m", "root"}).exitCode, 0);
    RunResult made = runKb({"new", "lesson", "--title", "传输割接复盘", "--touchpoint",
                            "tp07-install-cutover", "--outcome", "failure", "--json"},
                           dir.path(), git);
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const QJsonObject m = QJsonDocument::fromJson(QByteArray::fromStdString(made.out)).object();
    const std::string id = m.value("id").toString().toStdString();
    const std::string path = m.value("path").toString().toStdString();
    for (const auto &[name, password] :
         {std::pair{"alice", "alice password"}, std::pair{"bob", "bob password"}})
        ASSERT_EQ(runKb({"user", "add", name, "--group", "delivery"}, dir.path(), {},
                        std::string(password) + "\n")
                      .exitCode,
                  0);

    ServeProcess server(dir.path());
    Browser browser;
    // anonymous: none: a stranger is sent to the sign-in page and sees no record.
    browser.open(server.url() + "/record/" + id);
    ASSERT_TRUE(browser.waitFor("location.pathname === '/login'"))
        << browser.eval("location.href").toString().toStdString();
    EXPECT_EQ(browser.eval("document.body.innerText.includes('传输割接复盘')").toBool(), false);
    browser.type("#signin-name", "alice");
    browser.type("#signin-password", "wrong password");
    browser.click("#signin-submit");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#signin-error').textContent !== ''"));
    EXPECT_NE(browser.text("#signin-error").find("不正确"), std::string::npos);
    browser.screenshot(artifactPath("signin-refused.png"));

    ASSERT_TRUE(signInThroughThePage(browser, server.url(), "alice", "alice password"));
    // The session cookie is HttpOnly: no script on the page can read it.
    EXPECT_EQ(browser.eval("document.cookie.includes('kb_session')").toBool(), false);
    browser.open(server.url() + "/edit/" + id);
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#record-form')"));
    browser.eval("(document.getElementById('f.title').value = '传输割接复盘(已核对)', 0)");
    browser.click("#save");
    ASSERT_TRUE(browser.waitFor("location.pathname.startsWith('/record/')"));
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#signout')"));
    browser.click("#signout");
    ASSERT_TRUE(browser.waitFor("location.pathname === '/login'"));

    ASSERT_TRUE(signInThroughThePage(browser, server.url(), "bob", "bob password"));
    browser.open(server.url() + "/edit/" + id);
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#record-form')"));
    browser.eval("(document.getElementById('f.outcome').value = 'success', 0)");
    browser.click("#save");
    ASSERT_TRUE(browser.waitFor("location.pathname.startsWith('/record/')"));
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('#history .version').length === 3"))
        << browser.eval("document.body.innerText").toString().toStdString();
    EXPECT_NE(browser.text("#history .version:first-child").find("bob"), std::string::npos);
    EXPECT_NE(browser.text("#history .version:nth-child(2)").find("alice"), std::string::npos);
    // bob puts back alice's version: a new change by bob, alice's title kept, his outcome gone.
    browser.click("#history .version:nth-child(2) .restore");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('#history .version').length === 4"));
    browser.screenshot(artifactPath("accounts-history.png"));
    const std::string text = dir.read(path);
    EXPECT_NE(text.find("(已核对)"), std::string::npos) << text;
    EXPECT_NE(text.find("outcome: failure"), std::string::npos) << text;
    EXPECT_NE(text.find("updated_by: bob"), std::string::npos) << text;
    const std::string authors = run({"log", "-4", "--format=%an"}).out;
    EXPECT_EQ(authors.substr(0, authors.find('\n', 10)), "bob\nbob\nalice") << authors;
}

// Clearance in every view (issue #18): a stranger (anonymous: read-public), a salesperson
// (signed in: internal) and a manager (read-restricted) walk the same pages. The oracle:
// each record of each level shows on a page for exactly the readers whose level reaches
// it, and the manager, who sees everything, proves each page shows each kind at all.
TEST(BrowserAccounts, EveryViewShowsEachReaderOnlyTheRecordsTheirClearanceReaches)
{
    TempDir dir;
    initRoot(dir);
    dir.write("vocab/competitors.yaml", "- {id: vendor-a, zh: 友商A, en: Vendor A}\n");
    dir.write("kb.yaml", dir.read("kb.yaml") + "serve:\n  anonymous: read-public\n"
                                               "  groups:\n    sales: [file]\n"
                                               "    managers: [read-restricted, move]\n");
    const std::vector<std::string> levels = {"public", "internal", "restricted"};
    struct Made {
        std::string id, title;
        int level; // index into levels
    };
    std::vector<Made> lessons, improvements, intel;
    const auto make = [&](std::vector<std::string> args, const std::string &title, int level,
                          std::vector<Made> &into) {
        args.insert(args.begin(), "new");
        for (const std::string &a :
             {std::string("--title"), title, std::string("--confidentiality"),
              levels[std::size_t(level)], std::string("--customer"), std::string("tm-malaysia"),
              std::string("--json")})
            args.push_back(a);
        RunResult r = runKb(args, dir.path());
        ASSERT_EQ(r.exitCode, 0) << r.err;
        into.push_back({QJsonDocument::fromJson(QByteArray::fromStdString(r.out))
                            .object()
                            .value("id")
                            .toString()
                            .toStdString(),
                        title, level});
    };
    const char *const mark[] = {"公开", "内部", "受限"};
    for (int l = 0; l < 3; ++l) {
        make({"lesson", "--touchpoint", "tp07-install-cutover"},
             std::string("割接回退经验") + mark[l], l, lessons);
        make({"improvement", "--source", "retrospective", "--touchpoint", "tp07-install-cutover"},
             std::string("割接前配置比对") + mark[l], l, improvements);
        make({"intel", "--competitor", "vendor-a", "--kind", "strength", "--observed", "2026-11-01",
              "--source_type", "press", "--source_ref", "trade press", "--claim", "inference",
              "--lawful_source", "true"},
             std::string("友商A交付能力") + mark[l], l, intel);
    }
    for (const auto &[name, password] :
         {std::pair{"bob", "bob password"}, std::pair{"carol", "carol password"}})
        ASSERT_EQ(runKb({"user", "add", name, "--group",
                         name == std::string("bob") ? "sales" : "managers"},
                        dir.path(), {}, std::string(password) + "\n")
                      .exitCode,
                  0);

    struct Page {
        std::string name, path, ready;
        const std::vector<Made> *records;
    };
    const std::vector<Page> pages = {
        {"search", "/search?q=" + std::string("割接回退经验"),
         "document.querySelectorAll('.hit').length > 0", &lessons},
        {"search-intel", "/search?q=type:intel", "document.querySelectorAll('.hit').length > 0",
         &intel},
        {"board", "/view/improvements/board", "document.querySelectorAll('.card').length > 0",
         &improvements},
        {"brief-lessons", "/view/insights/brief?customers=tm-malaysia",
         "!!document.querySelector('article.markdown')", &lessons},
        {"brief-improvements", "/view/insights/brief?customers=tm-malaysia",
         "!!document.querySelector('article.markdown')", &improvements},
        {"battlecard", "/view/competitors/battlecards?competitors=vendor-a",
         "!!document.querySelector('article.markdown')", &intel},
        {"record-similar", "/record/" + lessons[0].id, "!!document.querySelector('h1')", &lessons},
    };
    ServeProcess server(dir.path());
    Browser browser;
    for (int reader = 0; reader < 3; ++reader) {
        const std::string who = reader == 0 ? "stranger" : reader == 1 ? "bob" : "carol";
        if (reader > 0) {
            ASSERT_TRUE(signInThroughThePage(browser, server.url(), who, who + " password"));
        }
        for (const Page &p : pages) {
            browser.open(server.url() + p.path);
            ASSERT_TRUE(browser.waitFor(p.ready)) << who << " on " << p.name;
            // Wait for what this reader should see, then look for what they should not.
            const auto shown = [&](const Made &m) {
                return "(document.getElementById('app').innerText.includes(" + js(m.title) +
                       ") || document.getElementById('app').innerText.includes(" + js(m.id) + "))";
            };
            std::string allVisible = "true";
            for (const Made &m : *p.records)
                if (m.level <= reader && !(p.name == "record-similar" && m.id == lessons[0].id))
                    allVisible += " && " + shown(m);
            EXPECT_TRUE(browser.waitFor(allVisible))
                << who << " misses a record on " << p.name << ": "
                << browser.eval("document.getElementById('app').innerText")
                       .toString()
                       .toStdString();
            for (const Made &m : *p.records) {
                if (m.level > reader) {
                    EXPECT_FALSE(browser.eval(shown(m)).toBool())
                        << who << " sees " << levels[std::size_t(m.level)] << " '" << m.title
                        << "' on " << p.name;
                }
            }
            if (reader == 1 && p.name == "board")
                browser.screenshot(artifactPath("clearance-board-internal.png"));
        }
        // The journey counts only what the reader may see: tp07's lessons and open
        // improvements are 1, 2 and 3 for the three readers.
        browser.open(server.url() + "/view/insights/journey");
        ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.station').length === 2"));
        const auto bar = [&](int k) {
            return browser
                .eval("document.querySelectorAll('.station')[1].querySelectorAll('.bar')[" +
                      std::to_string(k) + "].dataset.count")
                .toString()
                .toStdString();
        };
        EXPECT_EQ(bar(0), std::to_string(reader + 1)) << who << ": lessons at tp07";
        EXPECT_EQ(bar(2), std::to_string(reader + 1)) << who << ": open improvements at tp07";
        // A record beyond the reader's level is no page at all, not an empty one.
        browser.open(server.url() + "/record/" + lessons[2].id);
        ASSERT_TRUE(browser.waitFor("!!document.querySelector('#app h1, #app .error')"));
        EXPECT_EQ(
            browser.eval("document.body.innerText.includes(" + js(lessons[2].title) + ")").toBool(),
            reader == 2)
            << who;
        if (reader == 1) {
            browser.click("#signout");
            ASSERT_TRUE(browser.waitFor("!document.querySelector('#signout')"));
        }
    }
}

// The users right from the web (issue #18): a manager adds a salesperson on the accounts
// page; the salesperson sees no such page and changes their own password.
TEST(BrowserAccounts, AManagerAddsAnAccountOnTheAccountsPageAndTheNewcomerChangesTheirPassword)
{
    TempDir dir;
    initRoot(dir);
    dir.write("kb.yaml", dir.read("kb.yaml") + "serve:\n  anonymous: none\n  groups:\n"
                                               "    admins: [users]\n    sales: [file]\n");
    ASSERT_EQ(
        runKb({"user", "add", "admin", "--group", "admins"}, dir.path(), {}, "admin password\n")
            .exitCode,
        0);
    ServeProcess server(dir.path());
    Browser browser;
    ASSERT_TRUE(signInThroughThePage(browser, server.url(), "admin", "admin password"));
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#nav a[href=\"/users\"]')"));
    browser.click("#nav a[href='/users']");
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#accounts tr[data-user=\"admin\"]')"));
    EXPECT_EQ(browser
                  .eval("document.querySelector('#accounts tr[data-user=\"admin\"] "
                        "button.danger') === null")
                  .toBool(),
              true)
        << "no one is offered to remove themselves";
    browser.type("#new-user-name", "dana");
    browser.type("#new-user-password", "dana password");
    browser.click("#new-user-groups input[value='sales']");
    browser.click("#new-user button[type='submit']");
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#accounts tr[data-user=\"dana\"]')"))
        << browser.eval("document.body.innerText").toString().toStdString();
    EXPECT_NE(browser.text("#accounts tr[data-user='dana'] td.rights").find("新建"),
              std::string::npos);
    browser.screenshot(artifactPath("accounts-page.png"));
    EXPECT_NE(runKb({"user", "list"}, dir.path()).out.find("dana"), std::string::npos);

    browser.click("#signout");
    ASSERT_TRUE(browser.waitFor("location.pathname === '/login'"));
    ASSERT_TRUE(signInThroughThePage(browser, server.url(), "dana", "dana password"));
    EXPECT_EQ(browser.eval("!!document.querySelector('#nav a[href=\"/users\"]')").toBool(), false);
    browser.open(server.url() + "/users");
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#app .error')"));
    EXPECT_NE(browser.text("#app .error").find("没有管理账户的权限"), std::string::npos)
        << browser.text("#app .error");
    browser.click("#who a");
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#pw-form')"));
    browser.type("#pw-current", "dana password");
    browser.type("#pw-new", "dana's own password");
    browser.type("#pw-again", "dana's own password");
    browser.click("#pw-submit");
    ASSERT_TRUE(browser.waitFor("document.querySelector('#notice').textContent === '密码已修改'"))
        << browser.text("#pw-error");
    browser.click("#signout");
    ASSERT_TRUE(browser.waitFor("location.pathname === '/login'"));
    ASSERT_TRUE(signInThroughThePage(browser, server.url(), "dana", "dana's own password"));
}

// Issue #19, search page: the hits lead for the keyboard, the title is the query, the
// words that matched are marked in titles too, and the common facets come first.
TEST_F(BrowserTest, TheSearchPageLeadsWithTheHitsForTheKeyboardAndMarksTitles)
{
    browser.resize(1280, 800);
    browser.open(server->url() + "/search?q=%E5%89%B2%E6%8E%A5"); // 割接
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit').length > 0"));
    EXPECT_EQ(browser.eval("document.title").toString().toStdString(), "割接 · kb");
    EXPECT_TRUE(browser
                    .eval("!!(document.querySelector('#results').compareDocumentPosition("
                          "document.querySelector('#facets')) & Node.DOCUMENT_POSITION_FOLLOWING)")
                    .toBool())
        << "the filters come before the hits in the page's order";
    EXPECT_TRUE(browser
                    .eval("document.querySelector('#facets').getBoundingClientRect().left < "
                          "document.querySelector('#results').getBoundingClientRect().left")
                    .toBool())
        << "on a wide screen the filters are still drawn on the left";
    EXPECT_NE(browser.text(".hit h3 mark"), "");
    // The shipped glossary reads 割接 as an entry with English forms, and the page says so.
    EXPECT_NE(browser.text("#synonyms").find("cutover"), std::string::npos);
    EXPECT_EQ(browser.eval("document.querySelector('.facetgroup').dataset.facet").toString(),
              "type");
    // The skip link is the first thing Tab reaches; Enter on it puts the focus on the hits.
    EXPECT_EQ(browser
                  .eval("document.querySelector('a[href], button:not([hidden]), input, select, "
                        "[tabindex]:not([tabindex=\"-1\"])').id")
                  .toString(),
              "skip");
    browser.eval("(document.getElementById('skip').focus(), 0)");
    browser.pressKeys("\xEE\x80\x87"); // U+E007 Enter
    EXPECT_EQ(browser.eval("document.activeElement.id").toString(), "results");
    browser.screenshot(artifactPath("search-wide.png"));

    // A filter value that names nothing offers the right one as a link that fixes the query.
    browser.open(server->url() + "/search?q=%E5%89%B2%E6%8E%A5%20type%3Alesso"); // 割接 type:lesso
    ASSERT_TRUE(browser.waitFor("!!document.querySelector('#results .note a')"));
    browser.click("#results .note a");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit').length > 0"));
    EXPECT_EQ(
        browser.eval("new URLSearchParams(location.search).get('q')").toString().toStdString(),
        "割接 type:lesson");
    // The home page's example queries are links, and each finds something here too.
    browser.open(server->url() + "/");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('#tips a').length === 5"));
    browser.click("#tips a");
    ASSERT_TRUE(browser.waitFor("document.querySelectorAll('.hit').length > 0"));
}

// Issue #19, the board: every column in sight at 1280 px with the finished ones folded; a
// card dragged onto a column it may go to moves, onto one it may not is explained in
// words beside it; the keyboard's way is the card's own menu.
TEST_F(BrowserTest, TheBoardFitsTheScreenFoldsFinishedColumnsAndMovesByDragOrExplainsWhyNot)
{
    browser.resize(1280, 800);
    browser.open(server->url() + "/view/improvements/board");
    const std::string card = ".card[data-id='" + improvementId + "']";
    ASSERT_TRUE(browser.waitFor("document.querySelector(" + js(card) + ")"));
    EXPECT_TRUE(browser
                    .eval("[...document.querySelectorAll('#board .column')].every(c => "
                          "c.getBoundingClientRect().right <= window.innerWidth)")
                    .toBool())
        << "a column is off the screen";
    EXPECT_EQ(browser
                  .eval("[...document.querySelectorAll('#board details.column.done')].map(c "
                        "=> c.dataset.column + (c.open ? ' open' : '')).join(',')")
                  .toString()
                  .toStdString(),
              "closed,rejected");
    EXPECT_TRUE(
        browser.eval("document.querySelector(" + js(card + " .move-go") + ").hidden").toBool())
        << "no button before a target is chosen";
    // Compact cards: the move controls show on hover or keyboard focus (a pointer that
    // hovers, as here), not on every card at once.
    if (browser.eval("matchMedia('(hover: hover)').matches").toBool()) {
        const std::string opacity =
            "getComputedStyle(document.querySelector(" + js(card + " .mover") + ")).opacity";
        browser.eval("(document.activeElement && document.activeElement.blur(), 0)");
        EXPECT_TRUE(browser.waitFor(opacity + " === '0'")) << "controls shown without focus";
        browser.eval("(document.querySelector(" + js(card + " .move-to") + ").focus(), 0)");
        EXPECT_TRUE(browser.waitFor(opacity + " === '1'")) << "focus does not show the controls";
    }
    // Dragging onto a column it may not go to: words beside the card, nothing moved.
    const auto drop = [&](const std::string &column) {
        browser.eval("((card, col) => { const dt = new DataTransfer(); "
                     "card.dispatchEvent(new DragEvent('dragstart', {dataTransfer: dt, bubbles: "
                     "true})); col.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, "
                     "bubbles: true, cancelable: true})); col.dispatchEvent(new "
                     "DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true})); "
                     "return 0; })(document.querySelector(" +
                     js(card) + "), document.querySelector(" +
                     js("#board .column[data-column='" + column + "']") + "))");
    };
    drop("verified");
    ASSERT_TRUE(browser.waitFor("document.querySelector(" + js(card + " .field-error") +
                                ").textContent !== ''"));
    EXPECT_NE(browser.text(card + " .field-error").find("已接受"), std::string::npos)
        << browser.text(card + " .field-error");
    EXPECT_NE(dir.read("improvements/" + improvementId + ".md").find("status: proposed"),
              std::string::npos);
    browser.screenshot(artifactPath("board-refused.png"));
    drop("accepted");
    ASSERT_TRUE(browser.waitFor(
        "(document.querySelector(" + js(card) +
        ") || {closest: () => ({dataset: {}})}).closest('.column').dataset.column === 'accepted'"));
    EXPECT_NE(dir.read("improvements/" + improvementId + ".md").find("status: accepted"),
              std::string::npos);
}

// Many offices (issue #18, point 5), where people see it: when this office and the shared
// repository changed the same record, every page says so, and nothing is merged.
TEST(BrowserOffices, APullThatCannotMergeIsShownOnEveryPage)
{
    TempDir shared, north, south, home;
    const std::map<std::string, std::string> env{{"GIT_CONFIG_NOSYSTEM", "1"},
                                                 {"HOME", home.path()}};
    const auto git = [&](const TempDir &in, std::vector<std::string> args) {
        return setupGit(in.path(), env, std::move(args));
    };
    ASSERT_EQ(git(shared, {"init", "-q", "--bare", "-b", "main", "."}).exitCode, 0);
    ASSERT_EQ(git(north, {"init", "-q", "-b", "main", "."}).exitCode, 0);
    initRoot(north);
    north.write("kb.yaml", north.read("kb.yaml") + "history: git\n");
    RunResult made = runKb({"new", "lesson", "--title", "两地共享的割接经验", "--touchpoint",
                            "tp07-install-cutover", "--json"},
                           north.path(), env);
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const std::string id = QJsonDocument::fromJson(QByteArray::fromStdString(made.out))
                               .object()
                               .value("id")
                               .toString()
                               .toStdString();
    ASSERT_EQ(git(north, {"add", "-A"}).exitCode, 0);
    ASSERT_EQ(git(north, {"commit", "-q", "-m", "shared"}).exitCode, 0);
    ASSERT_EQ(git(north, {"remote", "add", "origin", shared.path()}).exitCode, 0);
    ASSERT_EQ(git(north, {"push", "-q", "-u", "origin", "main"}).exitCode, 0);
    ASSERT_EQ(git(south, {"clone", "-q", shared.path(), "."}).exitCode, 0);
    // The same record changed in both offices.
    ASSERT_EQ(runKb({"edit", id, "--set", "outcome=success"}, north.path(), env).exitCode, 0);
    ASSERT_EQ(git(north, {"push", "-q"}).exitCode, 0);
    ASSERT_EQ(runKb({"edit", id, "--set", "outcome=failure"}, south.path(), env).exitCode, 0);
    const std::string before = south.read("lessons/" + id + ".md");

    ServeProcess server(south.path(), {"--pull", "3600"}, env);
    Browser browser;
    for (const std::string &page : {std::string("/"), "/record/" + id}) {
        browser.open(server.url() + page);
        ASSERT_TRUE(browser.waitFor("!document.getElementById('sync').hidden")) << page;
        const std::string banner = browser.text("#sync");
        EXPECT_NE(banner.find("同步"), std::string::npos) << banner;
        EXPECT_NE(banner.find("lessons/" + id + ".md"), std::string::npos) << banner;
    }
    browser.screenshot(artifactPath("offices-conflict.png"));
    EXPECT_EQ(south.read("lessons/" + id + ".md"), before) << "nothing merged, nothing lost";
}

// A session ends when session_timeout passes: the next page asks to sign in again.
TEST(BrowserAccounts, AnExpiredSessionSendsThePersonBackToTheSignInPage)
{
    TempDir dir;
    initRoot(dir);
    dir.write("kb.yaml", dir.read("kb.yaml") + "serve:\n  anonymous: none\n  session_timeout: 2\n");
    ASSERT_EQ(runKb({"user", "add", "wang"}, dir.path(), {}, "wang password\n").exitCode, 0);
    ServeProcess server(dir.path());
    Browser browser;
    ASSERT_TRUE(signInThroughThePage(browser, server.url(), "wang", "wang password"));
    browser.open(server.url() + "/search?q=x");
    ASSERT_TRUE(browser.waitFor("location.pathname === '/search'"));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    browser.open(server.url() + "/search?q=x");
    ASSERT_TRUE(browser.waitFor("location.pathname === '/login'"))
        << browser.eval("location.href").toString().toStdString();
    EXPECT_EQ(browser.eval("!!document.querySelector('#who .user')").toBool(), false);
}
