-- Shared by the per-application wrk scripts: one machine-readable line at the end of a run.
-- WRK_RESULT requests seconds errors rps p50_ms p90_ms p99_ms p999_ms
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    + summary.errors.status
  local seconds = summary.duration / 1e6
  io.write(string.format("WRK_RESULT %d %.3f %d %.1f %.3f %.3f %.3f %.3f\n",
    summary.requests, seconds, errors, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
