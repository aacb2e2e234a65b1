-- pick_scan.lua — wrk script for the pick-scan benchmark (tests/bench/run.sh): POST
-- /v1/pick/scans with a unique scan_id per request, formed from a per-run nonce, the wrk
-- thread number and a per-thread counter, laid out as a UUID. Each scan picks one unit on
-- one of n pick lists at random, as the operator holding it: list k (k = 1..n) has the id
-- 00000000-0000-4000-8000-<base + k as 12 hex digits>, its operator's key is
-- wms_bench_<base + k>, and its one task is in bin PB<base + k> (as run.sh makes them):
-- operators in a warehouse work on lists of their own.
-- Arguments (after --): base, n, GTIN, nonce (0..2^32-1).
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   base, n, gtin, nonce = tonumber(args[1]), tonumber(args[2]), args[3], tonumber(args[4])
   math.randomseed(nonce + tid)
   counter = 0
end

function request()
   counter = counter + 1
   local id = string.format("%08x-%04x-4000-8000-%012x", nonce, tid, counter)
   local k = base + math.random(n)
   local list = string.format("00000000-0000-4000-8000-%012x", k)
   local body = string.format('{"scan_id":"%s","pick_list":"%s","bin":"PB%.0f","gtin":"%s"}',
                              id, list, k, gtin)
   return wrk.format("POST", "/v1/pick/scans", {["Content-Type"] = "application/json",
                     ["Authorization"] = string.format("Bearer wms_bench_%.0f", k)}, body)
end

function done(summary, latency, requests)
   io.write(string.format("wrk: requests %d, non-2xx %d, errors %d\n", summary.requests,
                          summary.errors.status, summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
