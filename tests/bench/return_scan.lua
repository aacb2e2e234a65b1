-- return_scan.lua — wrk script for the returns benchmark (tests/bench/run.sh): POST
-- /v1/returns/receipt-scans or /v1/returns/inspection-scans with a unique scan_id per request
-- (a per-run nonce, the wrk thread number and a per-thread counter, laid out as a UUID).
-- The returns' ids are 00000000-0000-4000-8000-<base + k as 12 hex digits>, k = 1..n (as
-- run.sh makes them):
--   receipt:     each scan receives the next return of its thread (thread t takes k = t,
--                t + threads, t + 2 threads, ...: a return is received once), one unit;
--   inspection:  each scan inspects one unit of one of the n received returns at random
--                (dispose, seller liable: no stock moves; each return holds more units than
--                a run inspects).
-- Arguments (after --): kind (receipt | inspection), base, n, staff key, nonce, threads.
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   kind, base, n, key, nonce, nthreads = args[1], tonumber(args[2]), tonumber(args[3]),
                                         args[4], tonumber(args[5]), tonumber(args[6])
   math.randomseed(nonce + tid)
   counter = 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
   counter = counter + 1
   local id = string.format("%08x-%04x-4000-8000-%012x", nonce, tid, counter)
   local k = math.random(n)
   if kind == "receipt" then
      k = (counter - 1) * nthreads + tid
   end
   local ret = string.format("00000000-0000-4000-8000-%012x", base + k)
   if kind == "receipt" then
      local body = string.format('{"scan_id":"%s","barcode":"%s","qty":1}', id, ret)
      return wrk.format(nil, "/v1/returns/receipt-scans", nil, body)
   end
   local body = string.format('{"scan_id":"%s","barcode":"%s","grade":"used",' ..
                              '"disposition":"dispose","liability":"seller"}', id, ret)
   return wrk.format(nil, "/v1/returns/inspection-scans", nil, body)
end

function done(summary, latency, requests)
   io.write(string.format("wrk: requests %d, non-2xx %d, errors %d\n", summary.requests,
                          summary.errors.status, summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
