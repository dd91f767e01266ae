#include "services/rights.h"

#include <algorithm>
#include <utility>

namespace kb {

Rights Rights::everything()
{
    Rights r;
    r.read = ReadLevel::Restricted;
    r.file = r.edit = r.move = r.users = true;
    return r;
}

void Rights::add(const Rights &o)
{
    read = std::max(read, o.read);
    file = file || o.file;
    edit = edit || o.edit;
    move = move || o.move;
    users = users || o.users;
}

bool Rights::grant(const std::string &name)
{
    if (name == "read-public")
        read = std::max(read, ReadLevel::Public);
    else if (name == "read-internal")
        read = std::max(read, ReadLevel::Internal);
    else if (name == "read-restricted")
        read = ReadLevel::Restricted;
    else if (name == "file")
        file = true;
    else if (name == "edit")
        edit = true;
    else if (name == "move")
        move = true;
    else if (name == "users")
        users = true;
    else
        return false;
    return true;
}

const char *Rights::names()
{
    return "read-public, read-internal, read-restricted, file, edit, move, users";
}

std::vector<std::string> Rights::granted() const
{
    std::vector<std::string> out;
    static const char *const reads[] = {nullptr, "read-public", "read-internal", "read-restricted"};
    if (const char *r = reads[int(read)])
        out.emplace_back(r);
    for (const auto &[on, name] : {std::pair{file, "file"}, std::pair{edit, "edit"},
                                   std::pair{move, "move"}, std::pair{users, "users"}})
        if (on)
            out.emplace_back(name);
    return out;
}

} // namespace kb
