#include "services/actor.h"

#include <git2.h>

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace kb {

namespace {

std::string configString(git_config *cfg, const char *key)
{
    git_buf buf = GIT_BUF_INIT;
    std::string out;
    if (cfg && git_config_get_string_buf(&buf, cfg, key) == 0)
        out.assign(buf.ptr, buf.size);
    git_buf_dispose(&buf);
    return out;
}

std::string loginName()
{
    if (const char *u = std::getenv("USER"); u && *u)
        return u;
    if (const passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return pw->pw_name;
    return "unknown";
}

std::string hostName()
{
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || !*host)
        return "localhost";
    return host;
}

} // namespace

Actor cliActor(const std::string &rootDir)
{
    Actor who;
    if (const char *u = std::getenv("KB_USER"); u && *u) {
        std::string s = u;
        if (const auto lt = s.find('<'); lt != std::string::npos && s.back() == '>') {
            who.email = s.substr(lt + 1, s.size() - lt - 2);
            s = s.substr(0, lt);
            while (!s.empty() && s.back() == ' ')
                s.pop_back();
        }
        who.name = s;
    } else {
        git_libgit2_init();
        git_repository *repo = nullptr;
        git_config *cfg = nullptr;
        if (git_repository_open_ext(&repo, rootDir.c_str(), 0, nullptr) == 0)
            git_repository_config(&cfg, repo); // the repository's, then global and system
        else
            git_config_open_default(&cfg);
        who.name = configString(cfg, "user.name");
        who.email = configString(cfg, "user.email");
        git_config_free(cfg);
        git_repository_free(repo);
        git_libgit2_shutdown();
    }
    if (who.name.empty())
        who.name = loginName();
    if (who.email.empty())
        who.email = loginName() + "@" + hostName();
    return who;
}

} // namespace kb
