-- order_create.lua — wrk script for the order-creation benchmark (tests/bench/run.sh):
-- POST /v1/orders as the platform, one unit of one of n SKUs (codes B-1 .. B-n) picked at
-- random, so orders spread over SKUs as a shop's do; a unique client_order_id per request
-- from a per-run nonce, the wrk thread number and a per-thread counter.
-- Arguments (after --): seller code, n, platform key, nonce.
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   seller, n, key, nonce = args[1], tonumber(args[2]), args[3], tonumber(args[4])
   math.randomseed(nonce + tid)
   counter = 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"client_order_id":"B-%d-%d-%d","seller":"%s","mode":"semi_warehouse",' ..
      '"destination":{"name":"Bench Buyer","address":"Calle Mayor 1","city":"Madrid",' ..
      '"postal_code":"28013","country":"ES"},"lines":[{"sku":"B-%d","qty":1,"unit_price":1000}],' ..
      '"currency":"USD","amount_paid":1000,"placed_at":"2026-01-05T10:00:00Z"}',
      nonce, tid, counter, seller, math.random(n))
   return wrk.format(nil, "/v1/orders", nil, body)
end

function done(summary, latency, requests)
   io.write(string.format("wrk: requests %d, non-2xx %d, errors %d\n", summary.requests,
                          summary.errors.status, summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
