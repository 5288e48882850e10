-- wrk script: POST /api/v1/tickets as a kiosk does (JSON body, a fresh Idempotency-Key per press).
-- SERVICE_ID comes from the environment: one id, or several separated by commas, taken in turn
-- (a mall's kiosks issue for many services at once). done() prints one JSON line the Python side parses.
local bodies = {}
for service_id in string.gmatch(os.getenv("SERVICE_ID") or "2", "[^,]+") do
  bodies[#bodies + 1] = '{"service_id": ' .. service_id .. ', "priority": false}'
end
local counter = 0
local prefix = ""

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  prefix = "bench-" .. os.time() .. "-" .. id .. "-"
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/api/v1/tickets", {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. counter,
  }, bodies[(counter + id) % #bodies + 1])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
