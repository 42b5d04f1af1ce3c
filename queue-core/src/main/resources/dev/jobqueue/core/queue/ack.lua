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
local out, done = {}, {}
for i = 0, tonumber(ARGV[3]) - 1 do
  local b = 4 + i * 3
  local id = ARGV[b]
  if lease_held(id, ARGV[b + 1]) then
    end_lease(id)
    out[i + 1] = 1
    done[#done + 1] = id
    if keep > 0 and ARGV[b + 2] ~= '' then redis.call('HSET', K_RESULTS, id, ARGV[b + 2]) end
  else
    out[i + 1] = 0
  end
end
if keep > 0 then
  for _, id in ipairs(done) do redis.call('ZADD', K_COMPLETED, now, id) end
  trim(K_COMPLETED, keep, max_age, now, #done + 100)
else
  forget(done)
end
return out
