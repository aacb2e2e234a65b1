-- receiving_scan.lua — wrk script for the receiving-scan benchmark (tests/bench/run.sh):
-- POST /v1/receiving/scans with a unique scan_id per request, formed from a per-run
-- nonce, the wrk thread number and a per-thread counter, laid out as a UUID. Each scan
-- goes to one of n shipments at random, whose ids are
-- 00000000-0000-4000-8000-<base + k as 12 hex digits>, k = 1..n (as run.sh makes them):
-- scanners in a warehouse work on different shipments.
-- Arguments (after --): base, n, GTIN, staff key, nonce (0..2^32-1).
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   base, n, gtin, key, nonce = tonumber(args[1]), tonumber(args[2]), args[3], args[4],
                               tonumber(args[5])
   math.randomseed(nonce + tid)
   counter = 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
   counter = counter + 1
   local id = string.format("%08x-%04x-4000-8000-%012x", nonce, tid, counter)
   local shipment = string.format("00000000-0000-4000-8000-%012x", base + math.random(n))
   local body = string.format('{"scan_id":"%s","shipment":"%s","gtin":"%s","confirm_over":true}',
                              id, shipment, gtin)
   return wrk.format(nil, "/v1/receiving/scans", nil, body)
end

function done(summary, latency, requests)
   io.write(string.format("wrk: requests %d, non-2xx %d, errors %d\n", summary.requests,
                          summary.errors.status, summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
