-- The catalogue's reads, in turn: a product by primary key and a category query (JPA over H2, JSON by Jackson).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local paths = {}
for i = 1, 40 do
  paths[#paths + 1] = "/products/" .. (i * 5)
  if i % 4 == 0 then paths[#paths + 1] = "/products?category=" .. (i % 10) end
end
local next_index = 0

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
