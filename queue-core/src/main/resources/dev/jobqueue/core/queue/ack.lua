#!lua
--[[ Completes leased jobs whose lease is still held, keeps them for the retention window, trims the window.
KEYS: the queue's keys (see common.lua)
ARGV[1] completed jobs to keep (0: forget a job as soon as it completes)
ARGV[2] longest time to keep a completed job, ms (-1: no age limit)
ARGV[3] number of jobs
then per job, 3 values: id, fencing token, result JSON ('' for none)
Returns: one integer per job: 1 completed, 0 refused because the lease is no longer held (stale) ]]
-- @include common

local now = now_ms()
local keep, max_age = tonumber(ARGV[1]), tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local ids = {}
for i = 1, n do ids[i] = ARGV[1 + i * 3] end
local held = redis.call('HMGET', K_LEASES, unpack(ids))
local out, done, results = {}, {}, {}
for i = 1, n do
  local b = 1 + i * 3
  if held[i] == ARGV[b + 1] then
    out[i] = 1
    done[#done + 1] = ids[i]
    if keep > 0 and ARGV[b + 2] ~= '' then
      results[#results + 1] = ids[i]
      results[#results + 1] = ARGV[b + 2]
    end
  else
    out[i] = 0
  end
end
if #done == 0 then return out end
call_chunked('ZREM', K_ACTIVE, done)
call_chunked('HDEL', K_LEASES, done)
if keep > 0 then
  if #results > 0 then redis.call('HSET', K_RESULTS, unpack(results)) end
  local scored = {}
  for i, id in ipairs(done) do scored[2 * i - 1], scored[2 * i] = now, id end
  redis.call('ZADD', K_COMPLETED, unpack(scored))
  trim(K_COMPLETED, keep, max_age, now, #done + 100)
else
  forget(done)
end
return out
