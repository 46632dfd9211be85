-- wrk script for bench/*.sh: counts answers per status code and per second.
-- Writes "status CODE N", "second UNIX_TIME CODE N", "errors ...",
-- "requests N duration_us N" and "latency_ms ..." lines, read by
-- bench/wrk_report.py.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  seconds = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local key = os.time() .. " " .. status
  seconds[key] = (seconds[key] or 0) + 1
end

function done(summary, latency, requests)
  local totals, timeline = {}, {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      totals[code] = (totals[code] or 0) + n
    end
    for key, n in pairs(thread:get("seconds")) do
      timeline[key] = (timeline[key] or 0) + n
    end
  end
  for code, n in pairs(totals) do
    io.write(string.format("status %d %d\n", code, n))
  end
  for key, n in pairs(timeline) do
    io.write(string.format("second %s %d\n", key, n))
  end
  local e = summary.errors
  io.write(string.format("errors connect=%d read=%d write=%d timeout=%d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("requests %d duration_us %d\n", summary.requests, summary.duration))
  io.write(string.format("latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
