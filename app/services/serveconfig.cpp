#include "services/serveconfig.h"

#include <yaml-cpp/yaml.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>

namespace kb {

std::vector<std::string> ServeConfig::groupNames() const
{
    std::vector<std::string> out;
    for (const auto &[group, rights] : groupRights)
        if (group != "everyone")
            out.push_back(group);
    if (!groupRightsGiven)
        for (const auto *legacy : {&restrictedGroups, &writerGroups})
            for (const std::string &g : *legacy)
                if (std::find(out.begin(), out.end(), g) == out.end())
                    out.push_back(g);
    return out;
}

std::string ServeConfig::unknownGroupProblem(const std::vector<std::string> &groups) const
{
    const std::vector<std::string> known = groupNames();
    for (const std::string &g : groups) {
        if (known.empty() || std::find(known.begin(), known.end(), g) != known.end())
            continue;
        // A typo would give the person no rights and no one would know why.
        std::string list;
        for (const std::string &k : known)
            list += (list.empty() ? "" : ", ") + k;
        return g == "everyone"
                   ? "'everyone' is every signed-in person already; no one is put in it"
                   : "kb.yaml names no group '" + g + "' (serve: groups has " + list + ")";
    }
    return {};
}

bool ServeConfig::loopback() const
{
    if (host == "localhost")
        return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

std::string urlAuthority(const std::string &url, std::string *error)
{
    std::string lower = url;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    std::size_t start = 0;
    if (lower.rfind("https://", 0) == 0)
        start = 8;
    else if (lower.rfind("http://", 0) == 0)
        start = 7;
    else {
        *error = "public URL '" + url + "' must start with http:// or https://";
        return {};
    }
    const std::size_t end = lower.find_first_of("/?#", start);
    std::string authority = lower.substr(start, end == std::string::npos ? end : end - start);
    const bool ok =
        !authority.empty() && std::all_of(authority.begin(), authority.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
        });
    if (!ok) {
        *error =
            "public URL '" + url + "' has no host name kb can match (letters, digits, '.', '-')";
        return {};
    }
    return authority;
}

bool readServeSettings(const std::string &rootDir, ServeConfig *config, std::string *error)
{
    const std::string file = (std::filesystem::path(rootDir) / "kb.yaml").string();
    YAML::Node serve;
    try {
        const YAML::Node cfg = YAML::LoadFile(file);
        if (!cfg || !cfg.IsMap() || !cfg["serve"])
            return true;
        serve = cfg["serve"];
        if (!serve.IsMap())
            throw YAML::Exception(serve.Mark(), "serve: must be a mapping of settings");
    } catch (const YAML::Exception &e) {
        *error = file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg;
        return false;
    }
    ServeLimits &l = config->limits;
    const auto count = [](std::size_t &field, long long low, long long high) {
        return [&field, low, high](const YAML::Node &v) {
            const long long n = v.as<long long>();
            if (n < low || n > high)
                throw YAML::Exception(v.Mark(), "must be a whole number from " +
                                                    std::to_string(low) + " to " +
                                                    std::to_string(high));
            field = std::size_t(n);
        };
    };
    std::size_t headerTimeout = l.headerTimeoutSeconds, bodyTimeout = l.bodyTimeoutSeconds,
                connections = l.maxConnections, perAddress = l.maxConnectionsPerAddress,
                threads = l.threads;
    // One value or a list of them.
    const auto strings = [](std::vector<std::string> &into) {
        return [&into](const YAML::Node &v) {
            if (v.IsSequence())
                for (const YAML::Node &item : v)
                    into.push_back(item.as<std::string>());
            else
                into.push_back(v.as<std::string>());
        };
    };
    const auto headerName = [](std::string &into) {
        return [&into](const YAML::Node &v) {
            std::string name = v.as<std::string>();
            for (char &c : name) {
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                    throw YAML::Exception(v.Mark(), "is not a header name");
                c = char(std::tolower(static_cast<unsigned char>(c)));
            }
            if (name.empty())
                throw YAML::Exception(v.Mark(), "is not a header name");
            into = name;
        };
    };
    const std::vector<std::pair<std::string, std::function<void(const YAML::Node &)>>> keys = {
        {"max_body_bytes", count(l.maxBodyBytes, 1024, 1ll << 30)},
        {"max_uri_bytes", count(l.maxUriBytes, 256, 1 << 20)},
        {"max_header_bytes", count(l.maxHeaderBytes, 1024, 1 << 20)},
        {"max_headers", count(l.maxHeaders, 8, 10000)},
        {"header_timeout", count(headerTimeout, 1, 3600)},
        {"body_timeout", count(bodyTimeout, 1, 3600)},
        {"max_connections", count(connections, 1, 100000)},
        {"max_connections_per_address", count(perAddress, 0, 100000)},
        {"threads", count(threads, 1, 256)},
        {"public_url",
         [config](const YAML::Node &v) {
             if (v.IsSequence())
                 for (const YAML::Node &u : v)
                     config->publicUrls.push_back(u.as<std::string>());
             else
                 config->publicUrls.push_back(v.as<std::string>());
         }},
        {"tls_cert", [config](const YAML::Node &v) { config->tlsCertFile = v.as<std::string>(); }},
        {"tls_key", [config](const YAML::Node &v) { config->tlsKeyFile = v.as<std::string>(); }},
        {"trusted_proxies", strings(config->trustedProxies)},
        {"user_header", headerName(config->userHeader)},
        {"groups_header", headerName(config->groupsHeader)},
        {"restricted_groups", strings(config->restrictedGroups)},
        {"writer_groups", strings(config->writerGroups)},
        {"groups",
         [config](const YAML::Node &v) {
             if (!v.IsMap())
                 throw YAML::Exception(v.Mark(), "must map each group to a list of rights (" +
                                                     std::string(Rights::names()) + ")");
             config->groupRightsGiven = true;
             for (const auto &g : v) {
                 Rights rights;
                 rights.read = ReadLevel::Internal; // everyone signed in reads internal records
                 const auto grant = [&](const YAML::Node &r) {
                     if (!rights.grant(r.as<std::string>()))
                         throw YAML::Exception(
                             r.Mark(), "'" + r.as<std::string>() +
                                           "' is not a right (rights: " + Rights::names() + ")");
                 };
                 if (g.second.IsSequence())
                     for (const YAML::Node &r : g.second)
                         grant(r);
                 else if (!g.second.IsNull())
                     grant(g.second);
                 config->groupRights.emplace_back(g.first.as<std::string>(), rights);
             }
         }},
        {"anonymous",
         [config](const YAML::Node &v) {
             const std::string mode = v.as<std::string>();
             if (mode == "none")
                 config->anonymousRead = ReadLevel::None;
             else if (mode == "read-public")
                 config->anonymousRead = ReadLevel::Public;
             else if (mode == "read-internal")
                 config->anonymousRead = ReadLevel::Internal;
             else
                 throw YAML::Exception(v.Mark(), "'" + mode +
                                                     "' is not one of none, read-public, "
                                                     "read-internal");
             config->anonymousGiven = true;
         }},
        {"session_timeout",
         [config](const YAML::Node &v) {
             const long long n = v.as<long long>();
             if (n < 1 || n > 366ll * 24 * 3600)
                 throw YAML::Exception(v.Mark(), "must be a number of seconds from 1 to 31622400");
             config->sessionTimeoutSeconds = unsigned(n);
         }},
    };
    for (const auto &entry : serve) {
        const std::string key = entry.first.as<std::string>("");
        const auto known =
            std::find_if(keys.begin(), keys.end(), [&](const auto &k) { return k.first == key; });
        try {
            if (known == keys.end())
                throw YAML::Exception(entry.first.Mark(), "unknown setting (known: max_body_bytes, "
                                                          "max_uri_bytes, max_header_bytes, "
                                                          "max_headers, header_timeout, "
                                                          "body_timeout, max_connections, "
                                                          "max_connections_per_address, threads, "
                                                          "public_url, tls_cert, tls_key, "
                                                          "trusted_proxies, user_header, "
                                                          "groups_header, restricted_groups, "
                                                          "writer_groups, groups, anonymous, "
                                                          "session_timeout)");
            known->second(entry.second);
        } catch (const YAML::Exception &e) {
            *error =
                file + ":" + std::to_string(e.mark.line + 1) + ": serve: " + key + ": " + e.msg;
            return false;
        }
    }
    l.headerTimeoutSeconds = unsigned(headerTimeout);
    l.bodyTimeoutSeconds = unsigned(bodyTimeout);
    l.maxConnections = unsigned(connections);
    l.maxConnectionsPerAddress = unsigned(perAddress);
    l.threads = unsigned(threads);
    for (const std::string &u : config->publicUrls)
        if (urlAuthority(u, error).empty()) {
            *error = file + ": serve: public_url: " + *error;
            return false;
        }
    return true;
}

} // namespace kb
