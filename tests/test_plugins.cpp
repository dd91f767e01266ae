// The plugin host and the installed SDK, as a plugin author meets them.
#include "kbrunner.h"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace kbtest;
namespace fs = std::filesystem;

namespace {

QJsonObject pluginById(const std::string &json, const QString &id)
{
    const QJsonArray arr = QJsonDocument::fromJson(QByteArray::fromStdString(json)).array();
    for (const auto &v : arr)
        if (v.toObject()["id"].toString() == id)
            return v.toObject();
    return {};
}

} // namespace

TEST(Plugins, BrokenPluginsAreReportedAndSkipped)
{
    TempDir d;
    initRoot(d);
    TempDir plugins;
    for (const char *name : {"badapi.so", "missingsym.so", "notplugin.so"})
        fs::copy_file(fs::path(KB_TEST_PLUGIN_DIR) / name, plugins.file(name));
    plugins.write("garbage.so", "this is not an ELF file");

    RunResult r = runKb({"--plugin-path", plugins.path(), "plugins", "--json"}, d.path());
    ASSERT_EQ(r.exitCode, 1) << r.err; // a failed plugin is not a clean bill of health
    QJsonObject badapi = pluginById(r.out, "badapi");
    EXPECT_EQ(badapi["state"].toString(), "failed");
    EXPECT_TRUE(badapi["error"].toString().contains("Api: the manifest says 99"))
        << badapi["error"].toString().toStdString();
    QJsonObject missing = pluginById(r.out, "missingsym");
    EXPECT_EQ(missing["state"].toString(), "failed");
    EXPECT_TRUE(missing["error"].toString().contains("kb_test_symbol_that_does_not_exist"))
        << missing["error"].toString().toStdString();
    EXPECT_EQ(pluginById(r.out, "notplugin")["state"].toString(), "failed");
    EXPECT_TRUE(pluginById(r.out, "notplugin")["error"].toString().contains("not a kb plugin"));
    EXPECT_EQ(pluginById(r.out, "garbage")["state"].toString(), "failed");
    EXPECT_EQ(pluginById(r.out, "lessons")["state"].toString(), "loaded");

    // The host keeps working with them on the path, and the text listing names the reason.
    RunResult text = runKb({"plugins"}, d.path(), {{"KB_PLUGIN_PATH", plugins.path()}});
    EXPECT_NE(text.out.find("badapi  9.0.0  failed"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("a plugin written for this kb says \"Api\": 1"), std::string::npos)
        << text.out;
    RunResult n =
        runKb({"new", "lesson", "--title", "still works", "--touchpoint", "tp01-proposal"},
              d.path(), {{"KB_PLUGIN_PATH", plugins.path()}});
    EXPECT_EQ(n.exitCode, 0) << n.err;
    // Calling a plugin that did not load says why, not "unknown command".
    RunResult verb = runKb({"badapi", "anything"}, d.path(), {{"KB_PLUGIN_PATH", plugins.path()}});
    EXPECT_EQ(verb.exitCode, 2);
    EXPECT_NE(verb.err.find("kb: plugin 'badapi' is not loaded: "), std::string::npos) << verb.err;
    EXPECT_NE(verb.err.find("Api: the manifest says 99"), std::string::npos) << verb.err;
}

namespace {

// The plugins kb finds with only `fixture` (a module of test-plugins/) added to the path.
RunResult pluginsWith(const TempDir &root, const TempDir &dir, const char *fixture)
{
    const std::string name = std::string(fixture) + ".so";
    fs::copy_file(fs::path(KB_TEST_PLUGIN_DIR) / name, dir.file(name));
    return runKb({"--plugin-path", dir.path(), "plugins", "--json"}, root.path());
}

QStringList problemsOf(const QJsonObject &plugin)
{
    QStringList out;
    for (const auto &v : plugin["problems"].toArray())
        out << v.toString();
    return out;
}

bool anyStartsWith(const QStringList &list, const char *prefix)
{
    return std::any_of(list.begin(), list.end(),
                       [&](const QString &s) { return s.startsWith(QString::fromUtf8(prefix)); });
}

} // namespace

TEST(Plugins, AThirdPartyPluginClaimingWhatKbShipsFailsAloneNamingEachKey)
{
    TempDir root;
    initRoot(root);
    TempDir dir;
    // rogue comes first on the path, yet kb's own plugins keep their type, fields,
    // prefixes and commands.
    RunResult r = pluginsWith(root, dir, "rogue");
    EXPECT_EQ(r.exitCode, 1);
    const QJsonObject rogue = pluginById(r.out, "rogue");
    EXPECT_EQ(rogue["state"].toString(), "failed");
    const QStringList problems = problemsOf(rogue);
    for (const char *key :
         {"Type: record type 'lesson'", "Fields[0] (customer).Type:", "Fields[1] (due).Type:",
          "Fields[2] (mood).Prefix: 'XSTATUS'", "Verbs[0] (brief): the command 'kb brief'"})
        EXPECT_TRUE(anyStartsWith(problems, key)) << key << "\n" << r.out;
    for (const char *id : {"lessons", "cases", "improvements", "competitors", "insights"})
        EXPECT_EQ(pluginById(r.out, id)["state"].toString(), "loaded") << id << "\n" << r.out;

    const std::map<std::string, std::string> env{{"KB_PLUGIN_PATH", dir.path()}};
    RunResult filed = runKb({"new", "lesson", "--title", "still ours", "--touchpoint",
                             "tp01-proposal", "--customer", "tm-malaysia"},
                            root.path(), env);
    EXPECT_EQ(filed.exitCode, 0) << filed.err;
    EXPECT_EQ(runKb({"check"}, root.path(), env).exitCode, 0);
    RunResult brief = runKb({"brief", "--customer", "tm-malaysia"}, root.path(), env);
    EXPECT_EQ(brief.exitCode, 0) << brief.err; // insights' command, not rogue's
    EXPECT_NE(brief.out.find("still ours"), std::string::npos) << brief.out;
}

TEST(Plugins, MisspelledManifestKeysAndWrongValueTypesAreRefusedByName)
{
    TempDir root;
    initRoot(root);
    TempDir dir;
    RunResult r = pluginsWith(root, dir, "typos");
    EXPECT_EQ(r.exitCode, 1);
    const QJsonObject typos = pluginById(r.out, "typos");
    EXPECT_EQ(typos["state"].toString(), "failed");
    const QStringList problems = problemsOf(typos);
    for (const char *key : {"Api: must be a whole number, found the string \"1\"",
                            "Feilds: unknown key (did you mean \"Fields\"?)",
                            "Fields[0] (attendees).Requried: unknown key (did you mean "
                            "\"Required\"?)",
                            "Fields[1] (room).Prefx: unknown key (did you mean \"Prefix\"?)",
                            "Fields[1] (room).Required: must be true or false"})
        EXPECT_TRUE(anyStartsWith(problems, key)) << key << "\n" << r.out;
    // The text listing names each key on its own line and says what failed.
    RunResult text = runKb({"plugins"}, root.path(), {{"KB_PLUGIN_PATH", dir.path()}});
    EXPECT_EQ(text.exitCode, 1);
    EXPECT_NE(text.out.find("\n    Feilds: unknown key"), std::string::npos) << text.out;
    EXPECT_NE(text.err.find("1 plugin(s) failed"), std::string::npos) << text.err;
}

TEST(Plugins, APluginWithoutTheRecordTypesItRequiresSaysWhichIsMissing)
{
    TempDir root;
    initRoot(root);
    TempDir dir;
    RunResult r = pluginsWith(root, dir, "needy");
    EXPECT_EQ(r.exitCode, 1);
    const QJsonObject needy = pluginById(r.out, "needy");
    EXPECT_EQ(needy["state"].toString(), "failed");
    EXPECT_TRUE(anyStartsWith(problemsOf(needy), "Requires[1]: record type 'memo'")) << r.out;
    const std::map<std::string, std::string> env{{"KB_PLUGIN_PATH", dir.path()}};
    EXPECT_EQ(runKb({"memoreport"}, root.path(), env).exitCode, 2);
    EXPECT_EQ(pluginById(r.out, "insights")["state"].toString(), "loaded") << r.out;
}

TEST(Plugins, TakingTheIdOfAShippedPluginCannotTakeAwayItsRecordType)
{
    TempDir root;
    initRoot(root);
    TempDir dir;
    // First on the path and valid in itself, but kb's competitors (and insights, which
    // reads competitor intelligence) would be gone: it fails, kb's own loads.
    RunResult r = pluginsWith(root, dir, "replacement");
    EXPECT_EQ(r.exitCode, 1);
    const QJsonArray all = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).array();
    int loaded = 0;
    for (const auto &v : all) {
        const QJsonObject p = v.toObject();
        if (p["id"] != "competitors")
            continue;
        if (p["version"] == "2.0.0") {
            EXPECT_EQ(p["state"].toString(), "failed");
            EXPECT_TRUE(anyStartsWith(problemsOf(p), "Id: 'competitors' is the id of a plugin "
                                                     "shipped with kb (record type 'intel')"))
                << r.out;
        } else {
            loaded += p["state"] == "loaded";
        }
    }
    EXPECT_EQ(loaded, 1) << r.out;
    EXPECT_EQ(pluginById(r.out, "insights")["state"].toString(), "loaded") << r.out;

    // A record type whose plugin failed names the plugin and its first problem.
    TempDir typos;
    const std::map<std::string, std::string> env{{"KB_PLUGIN_PATH", typos.path()}};
    fs::copy_file(fs::path(KB_TEST_PLUGIN_DIR) / "typos.so", typos.file("typos.so"));
    RunResult memo = runKb({"new", "memo", "--title", "周会"}, root.path(), env);
    EXPECT_EQ(memo.exitCode, 2);
    EXPECT_NE(memo.err.find("plugin 'typos', which provides it, failed to load: Api: must be "),
              std::string::npos)
        << memo.err;
}

TEST(Plugins, MistakesAPluginAuthorMakesAreNamedWhereTheyAre)
{
    TempDir root;
    initRoot(root);
    // A plugin folder that is not there is said, not silently skipped.
    RunResult missing = runKb({"--plugin-path", "no-such-dir", "plugins"}, root.path());
    EXPECT_NE(missing.err.find("plugin folder 'no-such-dir' does not exist (relative to "),
              std::string::npos)
        << missing.err;
    // An unknown verb lists the verbs, one per line.
    RunResult verb = runKb({"improvements", "nope"}, root.path());
    EXPECT_EQ(verb.exitCode, 2);
    EXPECT_NE(verb.err.find("Verbs of improvements:\n  "), std::string::npos) << verb.err;
    EXPECT_NE(verb.err.find("kb improvements: unknown verb 'nope'\n"), std::string::npos)
        << verb.err;

    TempDir work;
    work.write("names.json", R"({"Id": "check", "Api": 1, "Records": false,
  "Verbs": [{"Name": "search", "Global": true}]})");
    RunResult names = runKb({"plugins", "check", "names.json"}, work.path());
    EXPECT_EQ(names.exitCode, 1);
    EXPECT_NE(names.err.find("names.json:1: Id: 'check' is one of kb's own commands"),
              std::string::npos)
        << names.err;
    EXPECT_NE(names.err.find("names.json:2: Verbs[0] (search).Global: 'kb search' is one of "
                             "kb's own commands; drop \"Global\""),
              std::string::npos)
        << names.err;
    work.write("values.json", R"({"Id": "memos", "Api": 2, "Type": "memo",
  "Fields": [
    {"Name": "followup", "Type": "bool",
     "Default": "maybe"},
    {"Name": "room", "Type": "string", "Required": "yes"}]})");
    RunResult values = runKb({"plugins", "check", "values.json"}, work.path());
    EXPECT_EQ(values.exitCode, 1);
    EXPECT_NE(values.err.find("values.json:1: Api: 2, but this kb provides SDK API 1"),
              std::string::npos)
        << values.err;
    EXPECT_NE(
        values.err.find("values.json:4: Fields[0] (followup).Default: 'maybe' is not true/false"),
        std::string::npos)
        << values.err;
    EXPECT_NE(values.err.find("values.json:5: Fields[1] (room).Required: must be true or false"),
              std::string::npos)
        << values.err;
    // Who may read is declared by a field's Clearance values, which the index must see.
    work.write("clearance.json", R"({"Id": "memos", "Api": 1, "Type": "memo",
  "Fields": [{"Name": "secrecy", "Type": "enum", "Values": ["open", "secret"],
              "Clearance": ["secret", "top"]}]})");
    RunResult clearance = runKb({"plugins", "check", "clearance.json"}, work.path());
    EXPECT_EQ(clearance.exitCode, 1);
    EXPECT_NE(clearance.err.find("clearance.json:3: Fields[0] (secrecy).Clearance: needs a "
                                 "\"Prefix\""),
              std::string::npos)
        << clearance.err;
    EXPECT_NE(clearance.err.find("'top' is not one of its Values"), std::string::npos)
        << clearance.err;
    // The index's own prefixes (concept terms are XG:...) are not a plugin's to take.
    work.write("own.json", R"({"Id": "memos", "Api": 1, "Type": "memo",
  "Fields": [{"Name": "group", "Type": "string", "Prefix": "XG"}]})");
    RunResult own = runKb({"plugins", "check", "own.json"}, work.path());
    EXPECT_EQ(own.exitCode, 1);
    EXPECT_NE(own.err.find("own.json:2: Fields[0] (group).Prefix: 'XG' is one of the index's own "
                           "prefixes"),
              std::string::npos)
        << own.err;
    // A field kb's plugins index under a prefix is shared by leaving Prefix out.
    work.write("shared.json", R"({"Id": "visits", "Api": 1, "Type": "visit",
  "Fields": [{"Name": "customer", "Type": "enum", "Vocabulary": "customers"},
             {"Name": "confidentiality", "Type": "enum", "Values": ["internal", "restricted"],
              "Clearance": ["restricted"]}]})");
    RunResult shared = runKb({"plugins", "check", "shared.json"}, work.path());
    EXPECT_EQ(shared.exitCode, 0) << shared.err;
}

TEST(Plugins, APluginThatCrashesKbIsNamedByTheNextCommand)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "under the sanitizers their own crash reports are kept";
#endif
    TempDir root;
    initRoot(root);
    TempDir dir;
    fs::copy_file(fs::path(KB_TEST_PLUGIN_DIR) / "crasher.so", dir.file("crasher.so"));
    const std::map<std::string, std::string> env{{"KB_PLUGIN_PATH", dir.path()}};
    RunResult crashed = runKb({"crasher", "crash"}, root.path(), env);
    EXPECT_NE(crashed.exitCode, 0);
    RunResult next = runKb({"list"}, root.path());
    EXPECT_EQ(next.exitCode, 0);
    EXPECT_NE(next.err.find("kb: warning: the last kb process in this root crashed (SIGSEGV) "
                            "inside plugin 'crasher' (verb crash)"),
              std::string::npos)
        << next.err;
    EXPECT_EQ(runKb({"list"}, root.path()).err, "") << "said once";
}

TEST(Plugins, ManifestCheckNamesTheFileTheLineAndTheKey)
{
    TempDir work;
    work.write("good.json", R"({"Id": "memos", "Api": 1, "Type": "memo",
  "Fields": [{"Name": "room", "Type": "string"}]})");
    work.write("typo.json", "{\"Id\": \"memos\", \"Api\": 1,\n \"Type\": \"memo\",\n"
                            " \"Feilds\": []}");
    work.write("clash.json", R"({"Id": "memos", "Api": 1, "Type": "memo", "IdPrefix": "ci",
  "Fields": [{"Name": "status", "Type": "bool"}, {"Name": "due", "Type": "number"}]})");
    work.write("broken.json", "{\"Id\": \"memos\",\n\"Api\": 1,,\n}");
    RunResult good = runKb({"plugins", "check", "good.json"}, work.path());
    EXPECT_EQ(good.exitCode, 0) << good.err;
    EXPECT_EQ(good.out, "good.json: ok (plugin 'memos', record type 'memo')\n");

    RunResult typo = runKb({"plugins", "check", "typo.json"}, work.path());
    EXPECT_EQ(typo.exitCode, 1);
    EXPECT_EQ(typo.err, "typo.json:3: Feilds: unknown key (did you mean \"Fields\"?)\n");

    RunResult clash = runKb({"plugins", "check", "clash.json"}, work.path());
    EXPECT_EQ(clash.exitCode, 1);
    EXPECT_NE(clash.err.find("IdPrefix: 'ci' already starts the ids of intel records"),
              std::string::npos)
        << clash.err;
    EXPECT_NE(clash.err.find("Fields[1] (due).Type: number here, but plugin 'improvements'"),
              std::string::npos)
        << clash.err;

    RunResult broken = runKb({"plugins", "check", "broken.json"}, work.path());
    EXPECT_EQ(broken.exitCode, 1);
    EXPECT_EQ(broken.err.rfind("broken.json:2: ", 0), 0u) << broken.err;
    EXPECT_EQ(std::count(broken.err.begin(), broken.err.end(), '\n'), 1) << broken.err;
}

TEST(Plugins, OutOfTreePluginBuiltAgainstInstalledSdk)
{
    TempDir work;
    const std::string prefix = work.file("prefix");
    RunResult install =
        runProgram({KB_CMAKE_COMMAND, "--install", KB_BINARY_DIR, "--prefix", prefix}, work.path(),
                   {}, "", 300);
    ASSERT_EQ(install.exitCode, 0) << install.out << install.err;
    ASSERT_TRUE(fs::exists(prefix + "/include/kb/sdk.h"));
    ASSERT_TRUE(fs::exists(prefix + "/lib/cmake/KbSdk/KbSdkConfig.cmake") ||
                fs::exists(prefix + "/lib64/cmake/KbSdk/KbSdkConfig.cmake") ||
                !fs::is_empty(prefix + "/lib"));

    // A third party's plugin: its own folder, its own CMake project, only the SDK.
    work.write("src/CMakeLists.txt", "cmake_minimum_required(VERSION 3.21)\nproject(memos CXX)\n"
                                     "find_package(KbSdk 1 REQUIRED)\n"
                                     "kb_add_plugin(memos SOURCES memos.cpp)\n");
    work.write("src/memos.json",
               R"({"Id": "memos", "Name": "Meeting memos", "Version": "0.3.0", "Api": 1,
                   "Type": "memo", "IdPrefix": "memo", "Folder": "memos",
                   "Label": {"zh": "会议纪要", "en": "Memo"},
                   "Fields": [{"Name": "attendees", "Type": "list", "Of": "person", "Required": true},
                              {"Name": "customer", "Type": "enum", "Vocabulary": "customers"},
                              {"Name": "mood", "Type": "enum", "Values": ["good", "bad"],
                               "ValueLabels": {"good": {"zh": "顺利", "en": "Good"}, "bad": {"zh": "不顺", "en": "Bad"}},
                               "Prefix": "XMOOD", "Filter": true, "Facet": true}],
                   "Sections": [{"zh": "纪要", "en": "Notes"}],
                   "Verbs": [{"Name": "count", "Args": "", "Description": "count memos"}]})");
    work.write("src/memos.cpp", R"(#include <kb/sdk.h>
#include <QObject>
class MemosPlugin : public QObject, public Kb::RecordType {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID KB_RECORDTYPE_IID FILE "memos.json")
    Q_INTERFACES(Kb::RecordType)
public:
    QList<Kb::Issue> validate(const Kb::RecordData &r, Kb::Host &) const override {
        if (r.fields.value("mood").toString() == "bad")
            return {{"mood", "bad moods need a follow-up"}};
        return {};
    }
    int runVerb(const QString &, const QStringList &, Kb::Host &host) override {
        QStringList moods; // from the schema the host read: the manifest says them once
        for (const QJsonValue &f : host.recordTypeSchema("memo")["fields"].toArray())
            if (f["name"].toString() == "mood")
                for (const QJsonValue &v : f["values"].toArray())
                    moods << v.toString();
        host.print(QString::number(host.records("memo").size()) + " memos, moods " +
                   moods.join('/') + "\n");
        return 0;
    }
};
#include "memos.moc"
)");
    RunResult configure =
        runProgram({KB_CMAKE_COMMAND, "-S", work.file("src"), "-B", work.file("build"),
                    "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_BUILD_TYPE=Release"},
                   work.path(), {}, "", 300);
    ASSERT_EQ(configure.exitCode, 0) << configure.out << configure.err;
    RunResult build =
        runProgram({KB_CMAKE_COMMAND, "--build", work.file("build")}, work.path(), {}, "", 300);
    ASSERT_EQ(build.exitCode, 0) << build.out << build.err;
    EXPECT_NE(build.out.find("Checking memos.json"), std::string::npos) << build.out;

    // A misspelled key stops the build with kb's own words; a manifest that is not the
    // one Q_PLUGIN_METADATA embeds stops the configure.
    std::string typo = work.read("src/memos.json");
    typo.replace(typo.find("\"Required\""), 10, "\"Requried\"");
    work.write("typo/memos.json", typo);
    work.write("typo/memos.cpp", work.read("src/memos.cpp"));
    work.write("typo/CMakeLists.txt", work.read("src/CMakeLists.txt"));
    ASSERT_EQ(runProgram({KB_CMAKE_COMMAND, "-S", work.file("typo"), "-B", work.file("typo-build"),
                          "-DCMAKE_PREFIX_PATH=" + prefix},
                         work.path(), {}, "", 300)
                  .exitCode,
              0);
    RunResult typoBuild = runProgram({KB_CMAKE_COMMAND, "--build", work.file("typo-build")},
                                     work.path(), {}, "", 300);
    EXPECT_NE(typoBuild.exitCode, 0);
    EXPECT_NE((typoBuild.out + typoBuild.err)
                  .find("memos.json:4: Fields[0] (attendees).Requried: unknown key (did you "
                        "mean \"Required\"?)"),
              std::string::npos)
        << typoBuild.out << typoBuild.err;
    work.write("renamed/memo-manifest.json", work.read("src/memos.json"));
    work.write("renamed/memos.cpp", work.read("src/memos.cpp"));
    std::string renamedCmake = work.read("src/CMakeLists.txt");
    // Named a second time, in CMake, it must be the same file.
    renamedCmake.replace(renamedCmake.find("SOURCES memos.cpp)"), 18,
                         "SOURCES memos.cpp MANIFEST memo-manifest.json)");
    work.write("renamed/CMakeLists.txt", renamedCmake);
    RunResult renamed = runProgram({KB_CMAKE_COMMAND, "-S", work.file("renamed"), "-B",
                                    work.file("renamed-build"), "-DCMAKE_PREFIX_PATH=" + prefix},
                                   work.path(), {}, "", 300);
    EXPECT_NE(renamed.exitCode, 0);
    const auto words = [](std::string said) { // CMake wraps its messages: compare words
        std::replace(said.begin(), said.end(), '\n', ' ');
        said.erase(std::unique(said.begin(), said.end(),
                               [](char a, char b) { return a == ' ' && b == ' '; }),
                   said.end());
        return said;
    };
    EXPECT_NE(words(renamed.err)
                  .find("MANIFEST is memo-manifest.json but Q_PLUGIN_METADATA in memos.cpp "
                        "names memos.json"),
              std::string::npos)
        << renamed.err;
    // A manifest written for another SDK API is refused when the project is configured:
    // the number comes from the installed SDK (Kb::SdkApiVersion, KB_SDK_API).
    std::string otherApi = work.read("src/memos.json");
    otherApi.replace(otherApi.find("\"Api\": 1"), 8, "\"Api\": 2");
    work.write("otherapi/memos.json", otherApi);
    work.write("otherapi/memos.cpp", work.read("src/memos.cpp"));
    work.write("otherapi/CMakeLists.txt", work.read("src/CMakeLists.txt"));
    RunResult other = runProgram({KB_CMAKE_COMMAND, "-S", work.file("otherapi"), "-B",
                                  work.file("otherapi-build"), "-DCMAKE_PREFIX_PATH=" + prefix},
                                 work.path(), {}, "", 300);
    EXPECT_NE(other.exitCode, 0);
    EXPECT_NE(words(other.err).find("memos.json says \"Api\": 2, but this SDK is API 1"),
              std::string::npos)
        << other.err;
    EXPECT_NE(work.read("prefix/include/kb/version.h").find("SdkApiVersion = 1;"),
              std::string::npos);

    const std::string installedKb = prefix + "/bin/kb";
    // The installed kb makes a root with the shared vocabularies installed beside it.
    TempDir fresh;
    ASSERT_EQ(runProgram({installedKb, "init", fresh.path()}, fresh.path()).exitCode, 0);
    std::ifstream shipped(KB_SOURCE_DIR "/content/vocab/glossary.yaml", std::ios::binary);
    EXPECT_EQ(fresh.read("vocab/glossary.yaml"),
              std::string(std::istreambuf_iterator<char>(shipped), {}));
    TempDir root;
    initRoot(root);
    RunResult plugins = runProgram(
        {installedKb, "--plugin-path", work.file("build"), "plugins", "--json"}, root.path());
    ASSERT_EQ(plugins.exitCode, 0) << plugins.err;
    EXPECT_EQ(pluginById(plugins.out, "memos")["state"].toString(), "loaded") << plugins.out;
    EXPECT_EQ(pluginById(plugins.out, "memos")["version"].toString(), "0.3.0");
    // The installed kb finds its installed plugins, never the build tree's.
    EXPECT_EQ(plugins.out.find(KB_BINARY_DIR), std::string::npos) << plugins.out;
    EXPECT_TRUE(pluginById(plugins.out, "lessons")["path"].toString().startsWith(
        QString::fromStdString(fs::canonical(prefix).string())))
        << plugins.out;

    const std::map<std::string, std::string> env{{"KB_PLUGIN_PATH", work.file("build")}};
    RunResult created = runProgram(
        {installedKb, "new", "memo", "--title", "周会", "--attendees", "张三, Li Si", "--json"},
        root.path(), env);
    ASSERT_EQ(created.exitCode, 0) << created.err;
    const std::string path = QJsonDocument::fromJson(QByteArray::fromStdString(created.out))
                                 .object()["path"]
                                 .toString()
                                 .toStdString();
    EXPECT_EQ(path.rfind("memos/memo-", 0), 0u) << path;
    EXPECT_NE(root.read(path).find("attendees: [张三, Li Si]"), std::string::npos)
        << root.read(path);
    RunResult check = runProgram({installedKb, "check"}, root.path(), env);
    EXPECT_EQ(check.exitCode, 0) << check.out;
    // customer, shared with kb's types without a Label or Prefix of its own, takes theirs.
    RunResult help = runProgram({installedKb, "new", "memo", "--help"}, root.path(), env);
    EXPECT_NE(help.out.find("--customer (enum)  客户 / Customer"), std::string::npos) << help.out;
    // The plugin's rule says no: nothing is written unless the user insists.
    const std::string memoId = path.substr(6, path.size() - 9);
    const std::string filed = root.read(path);
    RunResult refused =
        runProgram({installedKb, "edit", memoId, "--set", "mood=bad"}, root.path(), env);
    EXPECT_EQ(refused.exitCode, 1) << refused.err;
    EXPECT_NE(refused.err.find("bad moods need a follow-up"), std::string::npos) << refused.err;
    EXPECT_EQ(root.read(path), filed);
    RunResult bad =
        runProgram({installedKb, "edit", memoId, "--set", "mood=bad", "--force"}, root.path(), env);
    EXPECT_EQ(bad.exitCode, 0) << bad.err;
    check = runProgram({installedKb, "check"}, root.path(), env);
    EXPECT_EQ(check.exitCode, 1);
    EXPECT_NE(check.out.find("bad moods need a follow-up"), std::string::npos) << check.out;
    RunResult verb = runProgram({installedKb, "memos", "count"}, root.path(), env);
    EXPECT_EQ(verb.exitCode, 0);
    EXPECT_EQ(verb.out, "1 memos, moods good/bad\n");
    // Its fields are search filters and facets, with the labels it gave.
    RunResult found =
        runProgram({installedKb, "search", "--json", "type:memo", "mood:bad"}, root.path(), env);
    EXPECT_EQ(found.exitCode, 0) << found.err;
    const QJsonObject result =
        QJsonDocument::fromJson(QByteArray::fromStdString(found.out)).object();
    EXPECT_EQ(result["total"].toInt(), 1) << found.out;
    EXPECT_EQ(result["facets"]
                  .toObject()["mood"]
                  .toArray()[0]
                  .toObject()["label"]
                  .toObject()["zh"]
                  .toString(),
              QString::fromUtf8("不顺"))
        << found.out;
}
