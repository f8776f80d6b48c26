-- The docservice's daily reads, in turn: a stored document (file read), the list and a search (H2, log4j).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local paths = {}
for i = 1, 20 do
  paths[#paths + 1] = "/docs?name=bench-" .. i .. ".txt"
  if i % 4 == 0 then paths[#paths + 1] = "/docs/list" end
  if i % 5 == 0 then paths[#paths + 1] = "/search?q=payment" end
end
local next_index = 0

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
