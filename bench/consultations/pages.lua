-- wrk script: any of the first PAGES pages (1000) of the contribution list of PROCESS, in any of
-- the four orders, drawn at random; a new visitor each time (no cookie), so "aléatoire" draws a
-- new seed per request.
local process = os.getenv("PROCESS") or "1"
local pages = tonumber(os.getenv("PAGES") or "1000")
local sorts = {"recentes", "soutenues", "debattues", "aleatoire"}
setup = function(thread) thread:set("seed", math.random(1, 1000000)) end
init = function() math.randomseed(seed or os.time()) end
request = function()
  local path = string.format("/consultations/%s?tri=%s&page=%d", process, sorts[math.random(#sorts)], math.random(pages))
  return wrk.format("GET", path)
end
