-- hub_receipt.lua — wrk script for the hub receipt-scan benchmark (tests/bench/run.sh): POST
-- /v1/hub/receipt-scans, each request receiving a JIT task of its own (a task is received once:
-- a repeat would be a 409). Thread t takes tasks base + t * per + 1, + 2, …, whose ids are
-- 00000000-0000-4000-8000-<as 12 hex digits> (as run.sh makes them), scanned by the label's
-- Data Matrix (the task id); scan_ids from a per-run nonce, the thread and its counter.
-- Arguments (after --): base, per, staff key, nonce (0..2^32-1).
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   base, per, key, nonce = tonumber(args[1]), tonumber(args[2]), args[3], tonumber(args[4])
   counter = 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
   counter = counter + 1
   local id = string.format("%08x-%04x-4000-8000-%012x", nonce, tid, counter)
   local task = string.format("00000000-0000-4000-8000-%012x", base + tid * per + counter)
   local body = string.format('{"scan_id":"%s","barcode":"%s"}', id, task)
   return wrk.format(nil, "/v1/hub/receipt-scans", nil, body)
end

function done(summary, latency, requests)
   io.write(string.format("wrk: requests %d, non-2xx %d, errors %d\n", summary.requests,
                          summary.errors.status, summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
