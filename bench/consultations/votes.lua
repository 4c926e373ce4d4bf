-- wrk script: votes over the JSON API, each one new: request k of thread t is the vote of token
-- k mod 64 on contribution (t × 1,000,003 + k) mod N, skipping the ids the generator left
-- unpublished (ending in 97, 98, 99). TOKENS: the generator's "token user_id" file; N: contributions.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line:match("^(%S+)") end
local n = tonumber(os.getenv("N") or "2000000")
local values = {"agree", "mixed", "disagree"}
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local k = 0
request = function()
  local target
  repeat
    k = k + 1
    target = (tid * 1000003 + k) % n + 1
  until target % 100 < 97
  local body = string.format('{"valeur":"%s"}', values[k % 3 + 1])
  return wrk.format("POST", "/api/v1/contributions/" .. target .. "/votes",
    {["Authorization"] = "Bearer " .. tokens[k % #tokens + 1], ["Content-Type"] = "application/json"}, body)
end
