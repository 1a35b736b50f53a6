-- wrk script: each request taps one of the personal short links in $PATHS (one path per
-- line), picked at random, as recipients do.
local paths = {}

function init(args)
  local file = assert(io.open(os.getenv("PATHS"), "r"))
  for line in file:lines() do
    paths[#paths + 1] = line
  end
  file:close()
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end



