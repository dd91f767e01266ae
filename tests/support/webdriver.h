#pragma once

#include <QJsonValue>

#include <memory>
#include <string>
#include <sys/types.h>

namespace kbtest {

// A real headless Chromium driven over the W3C WebDriver protocol by Debian's
// chromedriver: the browser tests click and type as a user would.
class Browser {
public:
    // Starts chromedriver and a browser session; throws when the browser has not answered
    // within startSeconds (a cold first start on a loaded machine takes longest).
    explicit Browser(int startSeconds = 60);
    ~Browser();
    Browser(const Browser &) = delete;
    Browser &operator=(const Browser &) = delete;

    void open(const std::string &url);
    std::string url();
    std::string find(const std::string &css); // element id; throws if absent
    void click(const std::string &css);
    void type(const std::string &css, const std::string &text);
    std::string text(const std::string &css);
    // Runs `return (...)` in the page; the script's value comes back as JSON.
    QJsonValue eval(const std::string &script);
    // Runs statements in the page (a library's source, say), for what they define.
    void run(const std::string &statements);
    // Polls the script until it returns something truthy; false after `seconds`.
    bool waitFor(const std::string &script, double seconds = 10);
    void screenshot(const std::string &pngPath);
    // The window's outer size in CSS pixels (a phone: 420 x 900).
    void resize(int width, int height);
    bool alertOpen();
    // Types `text` into the open window.prompt() and presses OK.
    void answerPrompt(const std::string &text);
    void acceptAlert(); // OK on an open alert() or confirm()
    // Presses keys on whatever has focus, as a keyboard would ("\uE004" is Tab).
    void pressKeys(const std::string &keys);

private:
    QJsonValue call(const std::string &method, const std::string &path, const std::string &body,
                    int timeoutSeconds = 60);
    void stopDriver();
    pid_t driver_ = -1;
    int port_ = 0;
    std::string session_;
    std::string profile_; // the browser's user data folder
};

// A JavaScript string literal holding `s`, to build scripts with.
std::string jsLiteral(const std::string &s);

// Where tests leave screenshots: <build>/test-artifacts.
std::string artifactPath(const std::string &name);

} // namespace kbtest
