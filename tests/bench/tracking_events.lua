-- tracking_events.lua — wrk script for the tracking ingest benchmark (tests/bench/run.sh):
-- POST /v1/tracking/events with a batch of `per` events, each with a unique event id (a
-- per-run nonce, the wrk thread number, a per-thread counter and the event's index), the
-- tracking number of one of n shipped parcels at random (BT + 9 digits, k = 1..n, as run.sh
-- makes them), the raw code IT (in transit) and an event time that grows with the counter,
-- so each event is the parcel's latest and moves its status.
-- Arguments (after --): n, per (events per batch), carrier key, nonce.
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   n, per, key, nonce = tonumber(args[1]), tonumber(args[2]), args[3], tonumber(args[4])
   math.randomseed(nonce + tid)
   counter = 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
   counter = counter + 1
   local at = os.date("!%Y-%m-%dT%H:%M:%SZ", 1767225600 + counter * 10 + tid)
   local ev = {}
   for j = 1, per do
      ev[j] = string.format('{"event_id":"%x-%x-%x-%d","tracking_number":"BT%09d",' ..
                            '"code":"IT","occurred_at":"%s"}', nonce, tid, counter, j,
                            math.random(n), at)
   end
   return wrk.format(nil, "/v1/tracking/events", nil, '{"events":[' .. table.concat(ev, ",") .. ']}')
end

function done(summary, latency, requests)
   io.write(string.format("wrk: requests %d, non-2xx %d, errors %d\n", summary.requests,
                          summary.errors.status, summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
