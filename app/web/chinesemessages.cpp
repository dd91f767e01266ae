#include "web/chinesemessages.h"

#include <memory>
#include <mutex>
#include <regex>
#include <vector>

namespace kb::web {

namespace {

struct Pattern {
    const char *english, *chinese;
};

// Most frequent first; each English text as the code writes it.
const Pattern kPatterns[] = {
    // Fields of a form (core/validator, services/recordcreation, web/recordforms).
    {"is required", "必填"},
    {"'{}' is not a date (expected YYYY-MM-DD)", "“{0}”不是日期(格式为 YYYY-MM-DD)"},
    {"'{}' is not a number", "“{0}”不是数字"},
    {"'{}' is not true/false", "“{0}”不是 true/false"},
    {"'{}' is not one of: {}", "“{0}”不是可选值之一: {1}"},
    {"'{}' is not in vocabulary '{}'", "“{0}”不在词表“{1}”中"},
    {"'{}' is not a record id", "“{0}”不是记录编号"},
    {"required field '{}' is empty", "必填字段“{0}”为空"},
    {"'{}' takes one value, not a list", "“{0}”只能填一个值"},
    {"some fields need attention", "有些字段需要修改"},
    {"a rule of this record type refuses it: {}", "这类记录的规则不允许: {0*}"},
    {"must be text", "应为文字"},
    {"changes by moving the card on the board ({}), which checks the allowed steps",
     "请在看板({0})上移动卡片来修改,看板会检查允许的步骤"},
    {"you could not read this record yourself once filed", "提交后你自己将无法查看这条记录"},
    {"the record changed since you opened it (someone else saved it); reload to see their "
     "version, then apply your change again",
     "你打开之后这条记录被别人修改并保存了;请重新加载查看对方的版本,再重新修改"},
    // Who may do what (web/webapi, web/requestguard, web/usersapi).
    {"'{}' may not file records on this server (serve: groups in kb.yaml gives that right)",
     "“{0}”在本服务器上没有新建记录的权限(由 kb.yaml 的 serve: groups 授予)"},
    {"'{}' may not edit records on this server (serve: groups in kb.yaml gives that right)",
     "“{0}”在本服务器上没有编辑记录的权限(由 kb.yaml 的 serve: groups 授予)"},
    {"'{}' may not restore versions on this server (serve: groups in kb.yaml gives that right)",
     "“{0}”在本服务器上没有恢复版本的权限(由 kb.yaml 的 serve: groups 授予)"},
    {"'{}' may not move cards on this server (serve: groups in kb.yaml gives that right)",
     "“{0}”在本服务器上没有移动看板卡片的权限(由 kb.yaml 的 serve: groups 授予)"},
    {"you may not {} on this server (serve: groups in kb.yaml gives that right)",
     "你在本服务器上没有这项权限(由 kb.yaml 的 serve: groups 授予)"},
    {"writing needs you to sign in", "写入需要先登录"},
    {"sign in to read this knowledge base (anonymous: none in kb.yaml)",
     "请先登录才能查看这个知识库"},
    {"'{}' is in none of the groups that may write (serve: groups in kb.yaml)",
     "“{0}”不在任何有写入权限的组中(见 kb.yaml 的 serve: groups)"},
    {"you may not file a record you could not read ('{}' needs read-restricted in serve: "
     "groups)",
     "不能提交你自己无权查看的记录(“{0}”需要 read-restricted 权限)"},
    {"the name or the password is wrong", "用户名或密码不正确"},
    {"too many failed sign-ins; try again in {} minutes", "登录失败次数过多,请 {0} 分钟后再试"},
    {"name and password are required", "请填写用户名和密码"},
    {"a password needs at least 8 characters", "密码至少需要 8 个字符"},
    {"a password may have at most 1024 bytes", "密码最长 1024 字节"},
    {"a user name cannot be blank", "用户名不能为空"},
    {"a user name has no spaces, control or invisible characters",
     "用户名不能包含空格、控制字符或不可见字符"},
    {"a user name has only letters, digits and . _ - @ (no {})",
     "用户名只能包含字母、数字和 . _ - @(不能有 {0})"},
    {"there is already a user '{}'", "已有用户“{0}”"},
    {"no user '{}'", "没有用户“{0}”"},
    {"kb.yaml names no group '{}' (serve: groups has {})",
     "kb.yaml 中没有组“{0}”(serve: groups 中有: {1})"},
    {"the current password is wrong (or '{}' is no local account)",
     "当前密码不正确(或“{0}”不是本地账户)"},
    {"'{}' may not manage accounts (the users right, serve: groups in kb.yaml)",
     "“{0}”没有管理账户的权限(users 权限,见 kb.yaml 的 serve: groups)"},
    {"managing accounts needs you to sign in", "管理账户需要先登录"},
    {"the first account needs a group with the users right (serve: groups in kb.yaml): once an "
     "account exists, everyone must sign in, you too",
     "第一个账户必须放在有 users 权限的组里(见 kb.yaml 的 serve: "
     "groups):一旦有了账户,所有人都要登录,"
     "包括你"},
    {"you cannot remove your own account here; someone else with the users right can, or `kb "
     "user remove` on the server",
     "不能在这里删除自己的账户;可以请另一位有 users 权限的人删除,或在服务器上运行 `kb user "
     "remove`"},
    {"these groups would take the users right from you; someone else with it can change your "
     "groups, or `kb user groups` on the server",
     "这样修改会让你自己失去 users 权限;可以请另一位有该权限的人修改,或在服务器上运行 `kb "
     "user groups`"},
    // Search notes: a filter value that names nothing (indexer/querybuilder).
    {"no record type is called '{}'. Did you mean {} ?",
     "没有名为“{0}”的记录类型。你是不是要找 {1} ?"},
    {"no record type is called '{}'. Known values: {}", "没有名为“{0}”的记录类型。可用的类型: {1}"},
    {"no {} is '{}'. Did you mean {} ?", "字段“{0}”没有“{1}”这个值。你是不是要找 {2} ?"},
    {"no {} is '{}'. Known values: {}", "字段“{0}”没有“{1}”这个值。可用的值: {2}"},
    // Records.
    {"no record with id '{}'", "没有编号为“{0}”的记录"},
    // Queries (indexer/querylexer, queryparser, querybuilder).
    {"the query is empty", "查询为空"},
    {"the query has nothing to search for", "查询中没有可搜索的内容"},
    {"unclosed quote: the phrase starting at column {} has no closing quote",
     "引号未闭合: 从第 {0} 列开始的短语缺少结束引号"},
    {"add the closing quote: {}", "补上结束引号: {0}"},
    {"unknown field '{}' at column {}", "第 {1} 列的字段“{0}”不存在"},
    {"did you mean {} ?", "你是不是要找 {0} ?"},
    {"unmatched ')' at column {}", "第 {0} 列的“)”没有对应的“(”"},
    {"empty parentheses at column {}", "第 {0} 列的括号中没有内容"},
    {"the '(' at column {} is never closed", "第 {0} 列的“(”没有闭合"},
    {"unexpected '{}' at column {}", "第 {1} 列出现了意外的“{0}”"},
    {"the query is longer than 4096 bytes", "查询超过 4096 字节"},
    {"shorten it", "请缩短查询"},
    {"type a word, e.g. {}", "请输入要查找的词,例如 {0}"},
    {"remove it, or add '(' where the group starts", "删除它,或在分组开始处补上“(”"},
    {"'OR' at column {} needs a term after it", "第 {0} 列的 OR 后面缺少搜索词"},
    {"write a term on both sides, e.g. {}", "两边都要有搜索词,例如 {0}"},
    {"'{}' at column {} needs a term before it", "第 {1} 列的“{0}”前面缺少搜索词"},
    {"remove it, or write a term on both sides", "删除它,或在两边都写上搜索词"},
    {"'AND' at column {} needs a term after it", "第 {0} 列的 AND 后面缺少搜索词"},
    {"remove the trailing AND", "删除末尾的 AND"},
    {"'NOT' at column {} needs a term after it", "第 {0} 列的 NOT 后面缺少搜索词"},
    {"e.g. {}", "例如 {0}"},
    {"remove them", "删除这对括号"},
    {"remove it", "删除它"},
    {"add ')': {}", "补上“)”: {0}"},
    {"'{}:' at column {} needs a value", "第 {1} 列的“{0}:”缺少值"},
    {"for example {}", "例如 {0}"},
    {"year:{} is not a year", "year:{0} 不是年份"},
    {"the field '{}' cannot be used as a filter", "字段“{0}”不能用作筛选"},
    {"search its words without the '{}:' prefix", "去掉“{0}:”前缀直接搜索这些词"},
    {"'{}' in {} is not a date", "{1} 中的“{0}”不是日期"},
    {"use YYYY, YYYY-MM or YYYY-MM-DD, and a..b for a range, e.g. {}",
     "请用 YYYY、YYYY-MM 或 YYYY-MM-DD,范围写作 a..b,例如 {0}"},
    {"{}:.. has no bounds", "{0}:.. 没有给出范围"},
    {"the range {} ends before it starts", "范围 {0} 的结束早于开始"},
    {"swap the bounds: {}", "交换两端: {0}"},
    {"the query has {} words and filters; kb takes at most {}",
     "查询有 {0} 个词和筛选条件,最多 {1} 个"},
    {"keep the words that matter", "只保留关键的词"},
    {"cannot sort by '{}'", "不能按“{0}”排序"},
};

struct Compiled {
    std::regex english;
    std::string chinese;
};

std::string escapedForRegex(const std::string &literal)
{
    static const std::string special = R"(\^$.|?*+()[]{})";
    std::string out;
    for (const char c : literal) {
        if (special.find(c) != std::string::npos)
            out += '\\';
        out += c;
    }
    return out;
}

Compiled compile(const std::string &english, const std::string &chinese)
{
    std::string re;
    for (std::size_t at = 0;;) {
        const std::size_t hole = english.find("{}", at);
        re += escapedForRegex(english.substr(at, hole - at));
        if (hole == std::string::npos)
            break;
        re += "(.*?)";
        at = hole + 2;
    }
    return {std::regex(re, std::regex::ECMAScript | std::regex::optimize), chinese};
}

const std::vector<Compiled> &compiled()
{
    static const std::vector<Compiled> all = [] {
        std::vector<Compiled> out;
        for (const Pattern &p : kPatterns)
            out.push_back(compile(p.english, p.chinese));
        return out;
    }();
    return all;
}

// The plugins' own patterns, swapped whole when kb serve loads its plugins anew.
std::mutex pluginMutex;
std::shared_ptr<const std::vector<Compiled>> pluginPatterns;

std::shared_ptr<const std::vector<Compiled>> pluginCompiled()
{
    std::lock_guard lock(pluginMutex);
    return pluginPatterns;
}

// The Chinese of `english` by the first of `patterns` that matches it all; "" if none.
// In the Chinese, {N} is the Nth hole's text as it is, {N*} that text put in Chinese too.
std::string translated(const std::string &english, const std::vector<Compiled> &patterns)
{
    std::smatch m;
    for (const Compiled &c : patterns) {
        if (!std::regex_match(english, m, c.english))
            continue;
        std::string out;
        for (std::size_t i = 0; i < c.chinese.size(); ++i) {
            const bool hole = c.chinese[i] == '{' && i + 2 < c.chinese.size() &&
                              c.chinese[i + 1] >= '0' && c.chinese[i + 1] <= '9';
            const std::size_t n = hole ? std::size_t(c.chinese[i + 1] - '0') + 1 : 0;
            const std::string text = hole && n < m.size() ? m[n].str() : std::string();
            if (hole && c.chinese[i + 2] == '}') {
                out += text;
                i += 2;
            } else if (hole && c.chinese[i + 2] == '*' && i + 3 < c.chinese.size() &&
                       c.chinese[i + 3] == '}') {
                // {N*}: the text is itself a message, put in Chinese when it is known.
                const std::string zh = chineseFor(text);
                out += zh.empty() ? text : zh;
                i += 3;
            } else {
                out += c.chinese[i];
            }
        }
        return out;
    }
    return {};
}

} // namespace

void setPluginMessages(const std::vector<std::pair<std::string, std::string>> &patterns)
{
    auto next = std::make_shared<std::vector<Compiled>>();
    for (const auto &[english, chinese] : patterns)
        try {
            next->push_back(compile(english, chinese));
        } catch (const std::regex_error &) {
            // A pattern std::regex cannot take stays untranslated, never a failure.
        }
    std::lock_guard lock(pluginMutex);
    pluginPatterns = std::move(next);
}

std::string chineseFor(const std::string &english)
{
    // libstdc++'s regex matcher recurses per character: a message that echoes a long
    // value (a 4 KB query) stays in English rather than risk the stack.
    if (english.empty() || english.size() > 400)
        return {};
    if (std::string zh = translated(english, compiled()); !zh.empty())
        return zh;
    if (const auto plugins = pluginCompiled())
        if (std::string zh = translated(english, *plugins); !zh.empty())
            return zh;
    // "occurred: '2020-13-01' is not a date ...", "lessons/x.md: ...": a field or a file
    // named first, then a message of its own.
    if (const std::size_t colon = english.find(": ");
        colon != std::string::npos && colon > 0 && english.find(' ') > colon)
        if (std::string rest = chineseFor(english.substr(colon + 2)); !rest.empty()) {
            const std::string first = english.substr(0, colon);
            return (first == "warning" ? std::string("警告") : first) + ": " + rest;
        }
    return {};
}

} // namespace kb::web
