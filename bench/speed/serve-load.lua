-- wrk script: top-10 searches with snippets and facets, rotating over a mix of Chinese,
-- English, mixed, phrase and filtered queries (each connection starts at its own offset).
local queries = {
  "割接 回退", "cutover rollback", "客户投诉 升级", "spare parts", "\"割接方案\"",
  "type:lesson customer:马电", "验收 问题", "competitor pricing", "备件 超时",
  "how do we follow up a customer complaint", "status:in-progress", "培训 现场",
  "5G core", "合同 谈判 付款", "year:2015 割接", "PMO",
}
-- `-- uncached general`: words of general documentation (man pages), for a corpus that
-- is not the team's records.
local general = {
  "配置 文件", "network interface", "进程 信号", "file permissions", "\"regular expression\"",
  "用户 密码", "socket timeout", "打印 队列", "memory allocation", "how do I change the default shell",
  "terminal 终端", "compress archive", "时区 时间", "kernel module", "环境变量", "signal handler",
}
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local paths = {}
local function usePaths(list)
  paths = {}
  for i, q in ipairs(list) do
    paths[i] = "/api/search?limit=10&q=" .. urlencode(q)
  end
end
usePaths(queries)
local counter = 0
setup = function(thread)
  thread:set("offset", counter)
  counter = counter + 5
end
-- `-- uncached`: every request unique (a negated word that matches nothing), so the
-- server's result cache never answers and each request runs a real search.
local uncached = false
init = function(args)
  for _, a in ipairs(args) do
    if a == "uncached" then uncached = true end
    if a == "general" then usePaths(general) end
  end
end
local n = 0
request = function()
  n = n + 1
  local path = paths[((n + offset) % #paths) + 1]
  if uncached then
    path = path .. urlencode(" -zq" .. offset .. "x" .. n)
  end
  return wrk.format("GET", path)
end
