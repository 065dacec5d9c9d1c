-- stats.lua: wrk hooks shared by every target: count answers by status
-- class per thread and print them when the run ends. With BODIES set, each
-- request POSTs the next line of that file (a distinct submission).
local threads = {}
local bodies = nil
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  s2xx, s3xx, s4xx, s429, s5xx, other = 0, 0, 0, 0, 0, 0
  local file = os.getenv("BODIES")
  if file then
    bodies = {}
    local n = 0
    for line in io.lines(file) do
      n = n + 1
      -- each thread takes every Nth line so no body is sent twice
      if (n % tonumber(os.getenv("THREADS"))) == (id - 1) then table.insert(bodies, line) end
    end
  end
end

function request()
  if bodies then
    counter = counter + 1
    local body = bodies[((counter - 1) % #bodies) + 1]
    return wrk.format("POST", nil, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Origin"] = os.getenv("ORIGIN"),
    }, body)
  end
  return wrk.format(nil)
end

function response(status, headers, body)
  if status == 429 then s429 = s429 + 1
  elseif status >= 200 and status < 300 then s2xx = s2xx + 1
  elseif status >= 300 and status < 400 then s3xx = s3xx + 1
  elseif status >= 400 and status < 500 then s4xx = s4xx + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local t = { s2xx = 0, s3xx = 0, s4xx = 0, s429 = 0, s5xx = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format("STATS rps=%.0f p50_ms=%.3f p99_ms=%.3f s2xx=%d s3xx=%d s4xx=%d s429=%d s5xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, t.s2xx, t.s3xx, t.s4xx, t.s429, t.s5xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
