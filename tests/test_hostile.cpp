// kb serve against clients that do not play fair: idle and dripping connections, floods,
// oversized and chunked bodies, forged Host headers. One test per probe.
#include "kbrunner.h"
#include "rawhttp.h"
#include "serveprocess.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

using namespace kbtest;

namespace {

using Clock = std::chrono::steady_clock;

class HostileTest : public ::testing::Test {
protected:
    void SetUp() override { initRoot(dir); }

    // Adds a `serve:` section to the root's kb.yaml.
    void serveSettings(const std::string &lines)
    {
        dir.write("kb.yaml", dir.read("kb.yaml") + "\nserve:\n" + lines);
    }

    static std::string get(int port, const std::string &target, const std::string &extra = {})
    {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n" +
               extra + "\r\n";
    }

    static std::string post(int port, const std::string &extra)
    {
        return "POST /api/records HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
               "\r\nX-KB-Request: 1\r\nContent-Type: application/json\r\n" + extra + "\r\n";
    }

    std::size_t lessonFiles() const
    {
        std::error_code ec;
        std::size_t n = 0;
        for (auto it = std::filesystem::directory_iterator(dir.file("lessons"), ec);
             it != std::filesystem::directory_iterator(); ++it)
            n += it->path().extension() == ".md";
        return n;
    }

    TempDir dir;
};

// cpp-httplib gave each connection one of 8 threads for up to 5 s: 8 idle sockets
// stalled every other client. Now 300 (half of them mid-request-line) change nothing.
TEST_F(HostileTest, IdleConnectionsDoNotHoldUpOtherClients)
{
    ServeProcess server(dir.path());
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 300; ++i) {
        idle.push_back(std::make_unique<RawConnection>(server.port()));
        if (i % 2)
            idle.back()->send("GET /api/search?q=x HTTP/1.1\r\n");
    }
    for (int i = 0; i < 20; ++i) {
        const auto start = Clock::now();
        const std::string r =
            roundTrip(server.port(), get(server.port(), "/api/search?q=cutover"), 4000);
        EXPECT_EQ(statusOf(r), 200) << "search " << i << " with 300 idle connections: " << r;
        // Not a speed target: the old server took 5 s or more here.
        EXPECT_LT(Clock::now() - start, std::chrono::seconds(3)) << "search " << i;
    }
}

// A client sending its headers a byte at a time is cut at header_timeout, however
// steadily it drips.
TEST_F(HostileTest, DrippedHeadersAreCutAtTheHeaderTimeout)
{
    serveSettings("  header_timeout: 2\n");
    ServeProcess server(dir.path());
    RawConnection slow(server.port());
    const std::string request =
        get(server.port(), "/api/info", "X-Padding: " + std::string(200, 'p') + "\r\n");
    const auto start = Clock::now();
    bool closed = false;
    for (char c : request) {
        if (!slow.send(std::string(1, c)) || slow.closedWithin(100)) {
            closed = true;
            break;
        }
    }
    EXPECT_TRUE(closed) << "the whole request went through, one byte per 100 ms";
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(6));
    EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(1500));
}

// The body has its own deadline: headers on time, then a trickle.
TEST_F(HostileTest, ADrippedBodyIsCutAtTheBodyTimeoutAndNothingIsFiled)
{
    serveSettings("  body_timeout: 2\n");
    ServeProcess server(dir.path());
    const std::size_t before = lessonFiles();
    RawConnection slow(server.port());
    ASSERT_TRUE(slow.send(post(server.port(), "Content-Length: 100000\r\n")));
    const auto start = Clock::now();
    bool closed = false;
    while (Clock::now() - start < std::chrono::seconds(8) && !closed)
        closed = !slow.send("{") || slow.closedWithin(200);
    EXPECT_TRUE(closed);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(6));
    EXPECT_EQ(lessonFiles(), before);
}

// Beyond max_connections a new client is told 503 at once, not left waiting; when the
// crowd goes, service resumes.
TEST_F(HostileTest, BeyondTheConnectionCapClientsGet503AtOnce)
{
    serveSettings("  max_connections: 10\n");
    ServeProcess server(dir.path());
    {
        std::vector<std::unique_ptr<RawConnection>> crowd;
        for (int i = 0; i < 12; ++i)
            crowd.push_back(std::make_unique<RawConnection>(server.port()));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const std::string r = roundTrip(server.port(), get(server.port(), "/api/info"), 3000);
        EXPECT_EQ(statusOf(r), 503) << r;
        EXPECT_NE(r.find("Retry-After: 1"), std::string::npos) << r;
        EXPECT_NE(bodyOf(r).find("max_connections"), std::string::npos) << r;
    }
    bool served = false;
    for (int i = 0; i < 50 && !served; ++i) {
        served = statusOf(roundTrip(server.port(), get(server.port(), "/api/info"))) == 200;
        if (!served)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(served);
}

// One remote machine cannot take every connection: past its share its new connections
// are closed at once, while others (here: loopback) are served.
TEST_F(HostileTest, OneRemoteAddressCannotHoldMoreThanItsShare)
{
    const std::string self = nonLoopbackAddress();
    if (self.empty())
        GTEST_SKIP() << "no non-loopback IPv4 address to connect from";
    serveSettings("  max_connections_per_address: 5\n");
    ServeProcess server(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test"});
    std::vector<std::unique_ptr<RawConnection>> crowd;
    for (int i = 0; i < 8; ++i)
        crowd.push_back(std::make_unique<RawConnection>(server.port(), self));
    int closed = 0;
    for (auto &c : crowd)
        closed += c->closedWithin(1000);
    EXPECT_EQ(closed, 3) << "8 connections from " << self << " with a share of 5";
    // One more, asking at once, is not served either.
    RawConnection quick(server.port(), self);
    quick.send(get(server.port(), "/api/info"));
    const std::string refused = quick.response(2000);
    EXPECT_NE(statusOf(refused), 200) << refused;
    EXPECT_EQ(statusOf(roundTrip(server.port(), get(server.port(), "/api/info"))), 200);
}

// A chunked body has no length to check up front; it is capped all the same, and what
// passed the cap is never filed (it was: 3 MiB and 12 MiB records, 201).
TEST_F(HostileTest, ChunkedBodiesOverTheCapAre413AndNeverFiled)
{
    serveSettings("  max_body_bytes: 65536\n");
    ServeProcess server(dir.path());
    const std::size_t before = lessonFiles();
    const std::string title(100000, 'x');
    const std::string json =
        R"({"type":"lesson","title":")" + title + R"(","fields":{"touchpoint":["tp01-proposal"]}})";
    std::string chunked;
    for (std::size_t at = 0; at < json.size(); at += 8192) {
        const std::string piece = json.substr(at, 8192);
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        chunked += size + piece + "\r\n";
    }
    chunked += "0\r\n\r\n";
    const std::string r =
        roundTrip(server.port(), post(server.port(), "Transfer-Encoding: chunked\r\n") + chunked);
    EXPECT_EQ(statusOf(r), 413) << r;
    EXPECT_NE(bodyOf(r).find("max_body_bytes"), std::string::npos) << r;
    EXPECT_EQ(lessonFiles(), before);
    // A small chunked body is a normal request.
    const std::string small =
        R"({"type":"lesson","title":"chunked","fields":{"touchpoint":["tp01-proposal"]}})";
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", small.size());
    const std::string ok =
        roundTrip(server.port(), post(server.port(), "Transfer-Encoding: chunked\r\n") + size +
                                     small + "\r\n0\r\n\r\n");
    EXPECT_EQ(statusOf(ok), 201) << ok;
    EXPECT_EQ(lessonFiles(), before + 1);
}

// A declared length over the cap is refused before a byte of the body is read when the
// client waits for "100 Continue", and after dropping the body when it does not.
TEST_F(HostileTest, DeclaredLengthsOverTheCapAre413)
{
    serveSettings("  max_body_bytes: 65536\n");
    ServeProcess server(dir.path());
    RawConnection waiting(server.port());
    waiting.send(post(server.port(), "Content-Length: 1000000\r\nExpect: 100-continue\r\n"));
    const std::string early = waiting.response(3000);
    EXPECT_EQ(statusOf(early), 413) << early;
    const std::string sent =
        roundTrip(server.port(),
                  post(server.port(), "Content-Length: 200000\r\n") + std::string(200000, 'x'));
    EXPECT_EQ(statusOf(sent), 413) << sent;
    const std::string absurd =
        roundTrip(server.port(), post(server.port(), "Content-Length: 99999999999\r\n"), 3000);
    EXPECT_EQ(statusOf(absurd), 413) << absurd;
    const std::string both = roundTrip(
        server.port(),
        post(server.port(), "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n");
    EXPECT_EQ(statusOf(both), 400) << both;
    // Two lengths: a second request hidden in the first one's body is never answered.
    const std::string hidden =
        "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n\r\n";
    RawConnection smuggler(server.port());
    smuggler.send(post(server.port(), "Content-Length: 7\r\nContent-Length: " +
                                          std::to_string(7 + hidden.size()) + "\r\n") +
                  "{\"a\":1}" + hidden);
    const std::string first = smuggler.response(3000);
    EXPECT_EQ(statusOf(first), 400) << first;
    const std::string second = smuggler.response(1000);
    EXPECT_EQ(second, "") << "a second answer came on the connection: " << second;
    // A space before the colon: a proxy may read a length where the library reads none.
    RawConnection spaced(server.port());
    spaced.send(post(server.port(), "Content-Length : " + std::to_string(hidden.size()) + "\r\n") +
                hidden);
    const std::string spacedFirst = spaced.response(3000);
    EXPECT_EQ(statusOf(spacedFirst), 400) << spacedFirst;
    EXPECT_EQ(spaced.response(1000), "") << "the body was answered as a request";
    // A bare CR inside a value.
    EXPECT_EQ(statusOf(roundTrip(server.port(), get(server.port(), "/api/info", "X-A: a\rb\r\n"))),
              400);
}

// URI length, header count and header bytes each have a limit of their own in kb.yaml,
// answered with a JSON error naming it.
TEST_F(HostileTest, UriAndHeaderLimitsComeFromKbYaml)
{
    serveSettings("  max_uri_bytes: 1024\n  max_headers: 20\n  max_header_bytes: 4096\n");
    ServeProcess server(dir.path());
    const int port = server.port();
    const std::string longUri =
        roundTrip(port, get(port, "/api/search?q=" + std::string(2000, 'a')));
    EXPECT_EQ(statusOf(longUri), 414) << longUri;
    EXPECT_NE(bodyOf(longUri).find("max_uri_bytes"), std::string::npos);
    std::string many;
    for (int i = 0; i < 30; ++i)
        many += "X-H" + std::to_string(i) + ": v\r\n";
    const std::string manyHeaders = roundTrip(port, get(port, "/api/info", many));
    EXPECT_EQ(statusOf(manyHeaders), 431) << manyHeaders;
    EXPECT_NE(bodyOf(manyHeaders).find("max_headers"), std::string::npos);
    const std::string bigHeader =
        roundTrip(port, get(port, "/api/info", "X-Big: " + std::string(6000, 'b') + "\r\n"));
    EXPECT_EQ(statusOf(bigHeader), 431) << bigHeader;
    EXPECT_NE(bodyOf(bigHeader).find("max_header_bytes"), std::string::npos);
    // Within the limits, the same kinds of request are answered.
    std::string words;
    for (int i = 0; i < 60; ++i)
        words += "cutover+";
    EXPECT_EQ(statusOf(roundTrip(port, get(port, "/api/search?q=" + words))), 200);
    EXPECT_EQ(statusOf(roundTrip(port, get(port, "/api/info", "X-H: v\r\n"))), 200);
    // A bad setting is named with its file and line.
    dir.write("kb.yaml", "serve:\n  max_headers: lots\n");
    RunResult bad = runKb({"serve", "--port", "0"}, dir.path());
    EXPECT_EQ(bad.exitCode, 2) << bad.err;
    EXPECT_NE(bad.err.find("kb.yaml:"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("max_headers"), std::string::npos) << bad.err;
}

// Request forms HTTP allows but browsers rarely send get a plain JSON answer, not a hang.
TEST_F(HostileTest, UnusualRequestFormsGetClearAnswers)
{
    ServeProcess server(dir.path());
    const int port = server.port();
    const std::string gzip =
        roundTrip(port, post(port, "Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n", 3000);
    EXPECT_EQ(statusOf(gzip), 501) << gzip;
    const std::string absolute =
        roundTrip(port, get(port, "http://127.0.0.1:" + std::to_string(port) + "/api/info"));
    EXPECT_EQ(statusOf(absolute), 200) << absolute;
    const std::string elsewhere = roundTrip(port, get(port, "http://evil.example/api/info"));
    EXPECT_EQ(statusOf(elsewhere), 400) << "the absolute form names another host: " << elsewhere;
    const std::string star = roundTrip(
        port, "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n");
    EXPECT_EQ(statusOf(star), 400) << star;
    EXPECT_NE(bodyOf(star).find("path starting with"), std::string::npos) << star;
}

// Host must be there once, well formed, and one of the server's own names.
TEST_F(HostileTest, HostHeadersOtherThanTheServersOwnAreRefused)
{
    ServeProcess server(dir.path());
    const int port = server.port();
    const std::string self = "127.0.0.1:" + std::to_string(port);
    const auto withHosts = [&](const std::string &hostLines) {
        return statusOf(roundTrip(port, "GET /api/info HTTP/1.1\r\n" + hostLines + "\r\n"));
    };
    EXPECT_EQ(withHosts("Host: " + self + "\r\n"), 200);
    EXPECT_EQ(withHosts("Host: localhost:" + std::to_string(port) + "\r\n"), 200);
    EXPECT_EQ(withHosts("Host: " + self + "\r\nHost: " + self + "\r\n"), 400) << "two Host headers";
    EXPECT_EQ(withHosts("Host: " + self + "\r\nHost: evil.example\r\n"), 400);
    EXPECT_EQ(withHosts(std::string("Host: ") + self + '\0' + "evil\r\n"), 400) << "NUL in Host";
    EXPECT_EQ(withHosts("Host: 127.0.0.1 :" + std::to_string(port) + "\r\n"), 400);
    EXPECT_EQ(withHosts("Host: " + self + "/x\r\n"), 400);
    EXPECT_EQ(withHosts("Host: evil.example:" + std::to_string(port) + "\r\n"), 421);
    EXPECT_EQ(statusOf(roundTrip(port, "GET /api/info HTTP/1.0\r\n\r\n")), 400) << "no Host";
}

// Each header once: two Cache-Control headers (the old server sent them on pages and
// assets) leave a cache to pick one.
TEST_F(HostileTest, PagesAssetsAndErrorsCarryEachHeaderOnce)
{
    ServeProcess server(dir.path());
    for (const char *target :
         {"/", "/search?q=x", "/assets/app.js", "/api/info", "/api/nothing", "/nowhere"}) {
        const std::string r = roundTrip(server.port(), get(server.port(), target));
        ASSERT_NE(statusOf(r), 0) << target;
        const std::string head = r.substr(0, r.find("\r\n\r\n") + 2);
        for (const char *name : {"Cache-Control:", "Content-Type:", "Content-Security-Policy:",
                                 "X-Content-Type-Options:", "X-Frame-Options:"}) {
            std::size_t count = 0;
            for (std::size_t at = head.find(name); at != std::string::npos;
                 at = head.find(name, at + 1))
                ++count;
            EXPECT_EQ(count, 1u) << target << " " << name << "\n" << head;
        }
    }
}

// Beyond loopback the server answers only to the names it was told it has: without one
// it does not start; then a rebinding name is 421 and the public name is served.
TEST_F(HostileTest, BeyondLoopbackOnlyThePublicNameIsServed)
{
    RunResult refused = runKb({"serve", "--host", "0.0.0.0", "--port", "0"}, dir.path());
    EXPECT_EQ(refused.exitCode, 2);
    EXPECT_NE(refused.err.find("--public-url"), std::string::npos) << refused.err;
    ServeProcess server(dir.path(),
                        {"--host", "0.0.0.0", "--public-url", "https://kb.example.com"});
    const int port = server.port();
    const auto as = [&](const std::string &host) {
        return statusOf(roundTrip(port, "GET /api/info HTTP/1.1\r\nHost: " + host + "\r\n\r\n"));
    };
    EXPECT_EQ(as("kb.example.com"), 200);
    EXPECT_EQ(as("KB.example.com:443"), 200);
    EXPECT_EQ(as("127.0.0.1:" + std::to_string(port)), 200) << "an address is never a rebound name";
    EXPECT_EQ(as("attacker.example"), 421);
    EXPECT_EQ(as("kb.example.com.attacker.example"), 421);
    EXPECT_EQ(as("kb.example.com:8443"), 421);
}

// Built-in TLS: a certificate and key in PEM, HTTPS on the same port, plain HTTP refused.
TEST_F(HostileTest, HttpsFromACertificateFile)
{
    RunResult cert =
        runProgram({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2",
                    "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem")},
                   dir.path());
    ASSERT_EQ(cert.exitCode, 0) << "openssl (apt-get install openssl): " << cert.err;
    ServeProcess server(dir.path(),
                        {"--tls-cert", dir.file("cert.pem"), "--tls-key", dir.file("key.pem")});
    const std::string url = "https://127.0.0.1:" + std::to_string(server.port());
    RunResult https = runProgram({"curl", "-sS", "--cacert", dir.file("cert.pem"), "-o",
                                  "/dev/null", "-w", "%{http_code}", url + "/api/info"},
                                 dir.path());
    EXPECT_EQ(https.out, "200") << https.err;
    RunResult plain =
        runProgram({"curl", "-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + std::to_string(server.port()) + "/api/info"},
                   dir.path());
    EXPECT_NE(plain.out, "200");
    // A key that does not exist is a one-line error at start.
    RunResult missing = runKb({"serve", "--port", "0", "--tls-cert", dir.file("cert.pem"),
                               "--tls-key", dir.file("nope.pem")},
                              dir.path());
    EXPECT_NE(missing.exitCode, 0);
    EXPECT_NE(missing.err.find("nope.pem"), std::string::npos) << missing.err;
}

} // namespace

namespace {

// A client not cleared for restricted records learns nothing about them from any GET the
// API offers: every endpoint is crawled and no answer may hold the restricted record's
// id, title or words; the counts it sees are those of the public records alone.
TEST(HostileLeaks, NothingOfARestrictedRecordReachesAnUnclearedClient)
{
    TempDir dir;
    copyShippedContent(dir);
    RunResult made = runKb({"new", "lesson", "--title", "绝密报价复盘 zebraquartz", "--touchpoint",
                            "tp07-install-cutover", "--customer", "tm-malaysia",
                            "--confidentiality", "restricted", "--json"},
                           dir.path());
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const std::string secret = QJsonDocument::fromJson(QByteArray::fromStdString(made.out))
                                   .object()
                                   .value("id")
                                   .toString()
                                   .toStdString();
    ASSERT_FALSE(secret.empty());
    ASSERT_EQ(runKb({"edit", secret, "--append", "zebraquartz 底价。"}, dir.path()).exitCode, 0);
    // A public improvement that names it among its origins.
    ASSERT_EQ(runKb({"edit", "imp-20171010-cutover-dryrun", "--set",
                     "origins=les-20170922-cutover-rollback, " + secret},
                    dir.path())
                  .exitCode,
              0);
    // Restricted in ways the team did not write: a capital R, a list, and a file whose
    // front matter does not parse (kb cannot tell, so it fails closed).
    dir.write("lessons/les-20200102-capital.md",
              "---\nid: les-20200102-capital\ntype: lesson\ntitle: zebraquartz capital\n"
              "date: 2020-01-02\ntouchpoint: [tp01-proposal]\nconfidentiality: Restricted\n"
              "---\n\nzebraquartz\n");
    dir.write("lessons/les-20200103-list.md",
              "---\nid: les-20200103-list\ntype: lesson\ntitle: zebraquartz list\n"
              "date: 2020-01-03\ntouchpoint: [tp01-proposal]\nconfidentiality: [restricted]\n"
              "---\n\nzebraquartz\n");
    dir.write("lessons/les-20200104-broken.md",
              "---\nid: les-20200104-broken\ntype: lesson\ntitle: zebraquartz broken\n"
              "outcome: [unclosed\nconfidentiality: restricted\n---\n\nzebraquartz\n");
    const std::string token = "leak-test-token-0123456789";
    ServeProcess server(dir.path(), {"--host", "0.0.0.0", "--public-url", "http://kb.test"},
                        {{"KB_SERVE_TOKEN", token}});
    httplib::Client anon("127.0.0.1", server.port());
    httplib::Client cleared("127.0.0.1", server.port());
    cleared.set_default_headers({{"Authorization", "Bearer " + token}});
    const auto json = [](const httplib::Result &r) {
        return r ? QJsonDocument::fromJson(QByteArray::fromStdString(r->body)) : QJsonDocument();
    };

    // What an attacker would ask for, built from what the API itself offers.
    std::vector<std::string> targets = {"/api/info",
                                        "/api/schema",
                                        "/api/plugins",
                                        "/api/check",
                                        "/api/records?limit=1000",
                                        "/api/search?q=zebraquartz",
                                        "/api/search?q=%E7%BB%9D%E5%AF%86%E6%8A%A5%E4%BB%B7",
                                        "/api/search?q=cutover&limit=100",
                                        "/api/search?q=type:improvement&limit=100",
                                        "/api/views/improvements/board",
                                        "/api/views/insights/journey"};
    for (const auto &r :
         json(anon.Get("/api/records?limit=1000")).object().value("records").toArray()) {
        const std::string id = r.toObject().value("id").toString().toStdString();
        targets.push_back("/api/records/" + id);
        targets.push_back("/api/similar?id=" + id);
    }
    const QJsonObject vocabularies =
        json(anon.Get("/api/schema")).object().value("vocabularies").toObject();
    for (const char *param : {"customers", "competitors"})
        for (const auto &t : vocabularies.value(param).toArray())
            targets.push_back(std::string("/api/views/") +
                              (std::string(param) == "customers"
                                   ? "insights/brief?customers="
                                   : "competitors/battlecards?competitors=") +
                              t.toObject().value("id").toString().toStdString());
    ASSERT_GT(targets.size(), 60u);
    for (const std::string &t : targets) {
        auto r = anon.Get(t.c_str());
        ASSERT_TRUE(r) << t;
        // A search echoes the words asked; what it found must not hold them.
        QJsonObject answer = json(r).object();
        answer.remove("query");
        const std::string body =
            t.rfind("/api/search", 0) == 0 ? QJsonDocument(answer).toJson().toStdString() : r->body;
        EXPECT_EQ(body.find(secret), std::string::npos) << t << " names the restricted id";
        EXPECT_EQ(body.find("zebraquartz"), std::string::npos) << t;
        EXPECT_EQ(body.find("绝密报价"), std::string::npos) << t;
        EXPECT_EQ(r->body.find("\"/"), std::string::npos)
            << t << " gives a server path: " << r->body.substr(0, 300);
    }
    for (const char *id : {"les-20200102-capital", "les-20200103-list"})
        targets.push_back(std::string("/api/records/") + id);
    // Its id is as unknown as one that never existed, whatever is asked of it.
    for (const std::string base :
         {"/api/records/", "/api/similar?id=", "/api/search?q=origins:", "/api/search?q="}) {
        auto hiddenOne = anon.Get((base + secret).c_str());
        auto missing = anon.Get((base + "les-19990101-never").c_str());
        ASSERT_TRUE(hiddenOne && missing);
        EXPECT_EQ(hiddenOne->status, missing->status) << base;
        // The same answer, once each id is read as "ID".
        const auto normalized = [](std::string body, const std::string &id) {
            for (std::size_t at = body.find(id); at != std::string::npos; at = body.find(id))
                body.replace(at, id.size(), "ID");
            return body;
        };
        EXPECT_EQ(normalized(hiddenOne->body, secret),
                  normalized(missing->body, "les-19990101-never"))
            << base;
    }
    // Counts: the journey's lessons at installation and cutover differ by the one record.
    const auto lessonsAtCutover = [&](httplib::Client &c) {
        for (const auto &tp :
             json(c.Get("/api/views/insights/journey")).object().value("data").toArray())
            if (tp.toObject().value("touchpoint").toString() == "tp07-install-cutover")
                return tp.toObject().value("lessons").toInt();
        return -1;
    };
    EXPECT_EQ(lessonsAtCutover(anon) + 1, lessonsAtCutover(cleared));
    // The cleared client does see it, so the checks above were not vacuous.
    auto seen = cleared.Get(("/api/records/" + secret).c_str());
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->status, 200);
    auto imp = cleared.Get("/api/records/imp-20171010-cutover-dryrun");
    ASSERT_TRUE(imp);
    EXPECT_NE(imp->body.find(secret), std::string::npos);
}

} // namespace

namespace {

// Record text is text in every view a plugin draws: a title written as a phishing link,
// an image tag or emphasis shows as those characters in briefs and battlecards.
TEST(HostileText, TitlesInBriefsAndBattlecardsAreNeverMarkup)
{
    TempDir dir;
    copyShippedContent(dir);
    const std::string title =
        "[请重新登录](https://evil.example/login) <img src=x onerror=alert(1)> *bold* &amp;";
    for (const char *id : {"les-20100331-tm-iptv", "ci-20260510-vendor-b-weakness"}) {
        RunResult r = runKb({"edit", id, "--set", "title=" + title}, dir.path());
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    // Parameters the view cannot take together are the client's mistake, not the server's.
    auto both = c.Get("/api/views/insights/brief?customers=tm-malaysia&competitors=vendor-b");
    ASSERT_TRUE(both);
    EXPECT_EQ(both->status, 400) << both->body;
    for (const char *view : {"/api/views/insights/brief?customers=tm-malaysia",
                             "/api/views/competitors/battlecards?competitors=vendor-b"}) {
        auto r = c.Get(view);
        ASSERT_TRUE(r && r->status == 200) << view;
        const std::string html = QJsonDocument::fromJson(QByteArray::fromStdString(r->body))
                                     .object()
                                     .value("html")
                                     .toString()
                                     .toStdString();
        EXPECT_EQ(html.find("evil.example/login\""), std::string::npos) << view << ": " << html;
        EXPECT_EQ(html.find("<img"), std::string::npos) << view;
        EXPECT_EQ(html.find("<em>bold"), std::string::npos) << view;
        // The characters themselves are there, as text.
        EXPECT_NE(html.find("[请重新登录](https://evil.example/login) &lt;img src=x "
                            "onerror=alert(1)&gt; *bold* &amp;amp;"),
                  std::string::npos)
            << view << ": " << html;
    }
}

} // namespace

// The dashboard's drawings carry names people typed (owners): text in the SVG, never markup.
TEST(HostileText, NamesInTheDashboardsDrawingsAreNeverMarkup)
{
    TempDir dir;
    copyShippedContent(dir);
    const std::string owner = "<img src=x onerror=alert(1)>\"&";
    RunResult r =
        runKb({"edit", "imp-20240601-onsite-rule", "--set", "owner=" + owner}, dir.path());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ServeProcess server(dir.path());
    httplib::Client c("127.0.0.1", server.port());
    auto view = c.Get("/api/views/insights/dashboard?lang=en");
    ASSERT_TRUE(view && view->status == 200);
    const QJsonArray charts = QJsonDocument::fromJson(QByteArray::fromStdString(view->body))
                                  .object()
                                  .value("data")
                                  .toObject()
                                  .value("charts")
                                  .toArray();
    ASSERT_EQ(charts.size(), 5);
    std::string svg;
    for (const auto &chart : charts)
        svg += chart.toObject().value("svg").toString().toStdString();
    EXPECT_EQ(svg.find("<img"), std::string::npos);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_NE(svg.find("&lt;img src=x onerror=alert(1)&gt;&quot;&amp;"), std::string::npos) << svg;
}
