#include "webdriver.h"

#include "serveprocess.h"

#include <csignal>
#include <httplib.h>
#include <sys/prctl.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace kbtest {
namespace {

constexpr const char *kElementKey = "element-6066-11e4-a52e-4f735466cecf";

std::string json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

std::string artifactPath(const std::string &name)
{
    const std::string dir = std::string(KB_BINARY_DIR) + "/test-artifacts";
    std::filesystem::create_directories(dir);
    return dir + "/" + name;
}

// The last lines of the driver's log, for a failure message.
std::string tailOf(const std::string &path)
{
    std::ifstream in(path);
    std::string text(std::istreambuf_iterator<char>(in), {});
    if (text.size() > 1500)
        text = "..." + text.substr(text.size() - 1500);
    return text;
}

Browser::Browser(int startSeconds)
{
    port_ = freePort();
    const std::string log = artifactPath("chromedriver-" + std::to_string(port_) + ".log");
    driver_ = ::fork();
    if (driver_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM); // never outlives a crashed test
        ::setpgid(0, 0); // its own group: Chromium goes with it, never holding ctest's pipe

        const std::string portArg = "--port=" + std::to_string(port_);
        const std::string logArg = "--log-path=" + log;
        ::execl("/usr/bin/chromedriver", "chromedriver", portArg.c_str(), logArg.c_str(),
                static_cast<char *>(nullptr));
        ::_exit(127);
    }
    // A browser that cannot start fails the test in seconds, with the driver's words.
    auto fail = [&](const std::string &why) {
        stopDriver();
        throw std::runtime_error(why + "\nchromedriver log " + log + ":\n" + tailOf(log));
    };
    httplib::Client probe("127.0.0.1", port_);
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
        auto r = probe.Get("/status");
        up = r && r->status == 200;
        if (!up)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!up)
        fail("chromedriver did not start (is chromium-driver installed?)");
    // KB_TEST_CHROMIUM=/bin/false shows how a browser that cannot start fails the test.
    const char *env = std::getenv("KB_TEST_CHROMIUM");
    const QString chromium = QString::fromUtf8(env && *env ? env : "/usr/bin/chromium");
    // A profile of its own, removed with the browser (chromedriver's own is left in /tmp
    // when the driver is stopped by a signal).
    char profileTemplate[] = "/tmp/kb-chromium-XXXXXX";
    if (const char *made = ::mkdtemp(profileTemplate))
        profile_ = made;
    const QJsonArray args{"--user-data-dir=" + QString::fromStdString(profile_), "--headless=new",
                          "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                          "--disable-background-networking", "--disable-extensions",
                          "--no-first-run", "--window-size=1366,900", "--lang=zh-CN",
                          // Names a DNS-rebinding attacker would use, pointed at the server.
                          "--host-resolver-rules=MAP *.rebind.test 127.0.0.1"};
    const QJsonObject caps{
        {"capabilities", QJsonObject{{"alwaysMatch", QJsonObject{{"browserName", "chrome"},
                                                                 {"goog:chromeOptions",
                                                                  QJsonObject{{"binary", chromium},
                                                                              {"args", args}}}}}}}};
    try {
        const QJsonValue v = call("POST", "/session", json(caps), startSeconds);
        session_ = v.toObject().value("sessionId").toString().toStdString();
    } catch (const std::exception &e) {
        fail(std::string("Chromium did not start: ") + e.what());
    }
    if (session_.empty())
        fail("no browser session");
}

void Browser::stopDriver()
{
    if (driver_ > 0) {
        ::kill(-driver_, SIGTERM); // the driver and the browsers it started
        ::kill(driver_, SIGTERM);
        ::waitpid(driver_, nullptr, 0);
        driver_ = -1;
    }
    if (!profile_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(profile_, ignored);
        profile_.clear();
    }
}

Browser::~Browser()
{
    if (!session_.empty()) {
        try {
            call("DELETE", "/session/" + session_, "");
        } catch (...) {
        }
    }
    stopDriver();
}

QJsonValue Browser::call(const std::string &method, const std::string &path,
                         const std::string &body, int timeoutSeconds)
{
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(timeoutSeconds, 0);
    httplib::Result r = method == "GET"      ? c.Get(path.c_str())
                        : method == "DELETE" ? c.Delete(path.c_str())
                                             : c.Post(path.c_str(), body, "application/json");
    if (!r)
        throw std::runtime_error("webdriver " + method + " " + path + ": no answer");
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).object();
    const QJsonValue value = o.value("value");
    if (r->status != 200)
        throw std::runtime_error("webdriver " + path + ": " +
                                 value.toObject().value("message").toString().toStdString());
    return value;
}

void Browser::open(const std::string &url)
{
    call("POST", "/session/" + session_ + "/url", json({{"url", QString::fromStdString(url)}}));
}

std::string Browser::url()
{
    return call("GET", "/session/" + session_ + "/url", "").toString().toStdString();
}

std::string Browser::find(const std::string &css)
{
    const QJsonValue v =
        call("POST", "/session/" + session_ + "/element",
             json({{"using", "css selector"}, {"value", QString::fromStdString(css)}}));
    return v.toObject().value(kElementKey).toString().toStdString();
}

void Browser::click(const std::string &css)
{
    call("POST", "/session/" + session_ + "/element/" + find(css) + "/click", "{}");
}

void Browser::type(const std::string &css, const std::string &text)
{
    call("POST", "/session/" + session_ + "/element/" + find(css) + "/value",
         json({{"text", QString::fromStdString(text)}}));
}

std::string Browser::text(const std::string &css)
{
    return call("GET", "/session/" + session_ + "/element/" + find(css) + "/text", "")
        .toString()
        .toStdString();
}

QJsonValue Browser::eval(const std::string &script)
{
    return call("POST", "/session/" + session_ + "/execute/sync",
                json({{"script", QString::fromStdString("return (" + script + ");")},
                      {"args", QJsonArray()}}));
}

void Browser::run(const std::string &statements)
{
    call("POST", "/session/" + session_ + "/execute/sync",
         json({{"script", QString::fromStdString(statements)}, {"args", QJsonArray()}}));
}

std::string jsLiteral(const std::string &s)
{
    const QByteArray quoted = QJsonDocument(QJsonArray{QString::fromStdString(s)})
                                  .toJson(QJsonDocument::Compact); // ["..."]
    return quoted.mid(1, quoted.size() - 2).toStdString();
}

bool Browser::waitFor(const std::string &script, double seconds)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end) {
        if (eval("!!(" + script + ")").toBool())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

void Browser::screenshot(const std::string &pngPath)
{
    const QByteArray png = QByteArray::fromBase64(
        call("GET", "/session/" + session_ + "/screenshot", "").toString().toLatin1());
    std::ofstream(pngPath, std::ios::binary).write(png.constData(), png.size());
}

void Browser::resize(int width, int height)
{
    call("POST", "/session/" + session_ + "/window/rect",
         json({{"width", width}, {"height", height}}));
}

bool Browser::alertOpen()
{
    try {
        call("GET", "/session/" + session_ + "/alert/text", "");
        return true;
    } catch (const std::exception &) {
        return false;
    }
}

void Browser::answerPrompt(const std::string &text)
{
    call("POST", "/session/" + session_ + "/alert/text",
         json({{"text", QString::fromStdString(text)}}));
    call("POST", "/session/" + session_ + "/alert/accept", "{}");
}

void Browser::acceptAlert()
{
    call("POST", "/session/" + session_ + "/alert/accept", "{}");
}

void Browser::pressKeys(const std::string &keys)
{
    QJsonArray steps;
    const QString all = QString::fromStdString(keys);
    for (const QChar c : all) {
        steps.append(QJsonObject{{"type", "keyDown"}, {"value", QString(c)}});
        steps.append(QJsonObject{{"type", "keyUp"}, {"value", QString(c)}});
    }
    const QJsonObject source{{"type", "key"}, {"id", "keyboard"}, {"actions", steps}};
    call("POST", "/session/" + session_ + "/actions",
         QJsonDocument(QJsonObject{{"actions", QJsonArray{source}}})
             .toJson(QJsonDocument::Compact)
             .toStdString());
}

} // namespace kbtest
