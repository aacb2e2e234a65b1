-- route_quote.lua — wrk script for the route-quote benchmark (tests/bench/run.sh):
-- POST /v1/routes/quote for parcels from the generated network's origins to its zones
-- (countries, some with postal codes that pick a prefix zone), weights 0.1–5 kg, cycling
-- through a fixed list so every run asks the same questions. ready_at is "now" (omitted).
-- Arguments (after --): platform key, then the origin warehouse codes.
local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

function init(args)
   key = args[1]
   origins = {}
   for i = 2, #args do origins[#origins + 1] = args[i] end
   dests = {{"GB", ""}, {"GB", "BT7 1NN"}, {"ES", "28013"}, {"NL", "1012"}, {"BE", "2000"},
            {"KR", "04524"}, {"FR", "75001"}, {"DE", "80331"}, {"PL", "00-001"}, {"IT", "20121"},
            {"SE", "11122"}, {"DE", ""}}
   bodies = {}
   for i = 0, 95 do
      local d = dests[i % #dests + 1]
      local o = origins[i % #origins + 1]
      local g = 100 + (i * 337) % 4900
      bodies[#bodies + 1] = string.format(
         '{"origin":"%s","destination":{"country":"%s","postal_code":"%s"},' ..
         '"parcel":{"weight_g":%d,"length_mm":%d,"width_mm":200,"height_mm":100}}',
         o, d[1], d[2], g, 150 + (i * 53) % 350)
   end
   counter = tid
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key
end

function request()
   counter = counter + 1
   return wrk.format(nil, "/v1/routes/quote", nil, bodies[counter % #bodies + 1])
end

function done(summary, latency, requests)
   io.write(string.format("wrk: requests %d, non-2xx %d, errors %d\n", summary.requests,
                          summary.errors.status, summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
