#!lua
--[[ Cancels a pending or delayed job.
KEYS: the queue's keys (see common.lua)
ARGV[1] id
ARGV[2] cancelled jobs to keep, ARGV[3] longest time to keep one, ms (-1: no age limit)
Returns: 'cancelled', 'unknown', or the state that cannot be cancelled ('active', 'completed', ...) ]]
-- @include common

local id = ARGV[1]
if redis.call('HEXISTS', K_JOBS, id) == 0 then return 'unknown' end
local removed = redis.call('ZREM', K_SCHEDULED, id) + redis.call('ZREM', K_RETRY, id) + redis.call('ZREM', K_PRIO, id)
if removed == 0 then removed = redis.call('LREM', K_READY, 1, id) end
if removed == 0 then
  for state, zset in pairs({ active = K_ACTIVE, completed = K_COMPLETED, cancelled = K_CANCELLED, dead = K_DEAD }) do
    if redis.call('ZSCORE', zset, id) then return state end
  end
  return 'unknown'
end
local now = now_ms()
local keep = tonumber(ARGV[2])
if keep > 0 then
  redis.call('ZADD', K_CANCELLED, now, id)
  trim(K_CANCELLED, keep, tonumber(ARGV[3]), now, 100)
else
  forget({ id })
end
return 'cancelled'
