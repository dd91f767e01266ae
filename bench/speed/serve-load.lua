-- wrk script: top-10 searches with snippets and facets, rotating over a mix of Chinese,
-- English, mixed, phrase and filtered queries (each connection starts at its own offset).
local queries = {
  "割接 回退", "cutover rollback", "客户投诉 升级", "spare parts", "\"割接方案\"",
  "type:lesson customer:马电", "验收 问题", "competitor pricing", "备件 超时",
  "how do we follow up a customer complaint", "status:in-progress", "培训 现场",
  "5G core", "合同 谈判 付款", "year:2015 割接", "PMO",
}
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local paths = {}
for i, q in ipairs(queries) do
  paths[i] = "/api/search?limit=10&q=" .. urlencode(q)
end
local counter = 0
setup = function(thread)
  thread:set("offset", counter)
  counter = counter + 5
end
-- `-- uncached`: every request unique (a negated word that matches nothing), so the
-- server's result cache never answers and each request runs a real search.
local uncached = false
init = function(args)
  uncached = args[1] == "uncached"
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
