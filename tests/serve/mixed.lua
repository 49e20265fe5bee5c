-- mixed.lua: wrk script for the long load test. Cycles through the tokens
-- in tokens.lua (written by load_test.sh): valid ones, with and without the
-- cache, and refused ones; counts any status other than 200 and 401.
local threads = {}
local cases = dofile(os.getenv("JWTGATE_LOAD_CASES"))

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
  i = 0
end

function request()
  i = i + 1
  local c = cases[(i % #cases) + 1]
  return wrk.format("GET", c.path, c.headers)
end

function response(status, headers, body)
  if status ~= 200 and status ~= 401 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + t:get("unexpected")
  end
  io.write(string.format("unexpected statuses: %d\n", total))
end
