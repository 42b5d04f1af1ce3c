#!lua
--[[ Cancels a job in constant time. A waiting job is cancelled at once (one still in a list gets a tombstone and
is dropped when popped); a running job gets a cancel request that its worker sees at its next heartbeat.
KEYS: jobs prio scheduled retry active completed cancelled skipped dead tombstones cancels leases attempts failures
      stalls priorities errors results progress reaped
ARGV[1] id, ARGV[2] cancelled jobs to keep, ARGV[3] longest time to keep one, ms (-1: no age limit)
Returns: 'cancelled', 'requested' (running: its worker stops it), 'unknown', or the state that cannot be
cancelled ('completed', 'cancelled', 'skipped', 'dead') ]]
-- @include common

local id = ARGV[1]
if redis.call('HEXISTS', K_JOBS, id) == 0 then return 'unknown' end
if redis.call('ZSCORE', K_ACTIVE, id) then
  redis.call('HSET', K_CANCELS, id, '1')
  return 'requested'
end
for _, entry in ipairs({ { 'completed', K_COMPLETED }, { 'cancelled', K_CANCELLED }, { 'skipped', K_SKIPPED },
                         { 'dead', K_DEAD } }) do
  if redis.call('ZSCORE', entry[2], id) then return entry[1] end
end
local removed = redis.call('ZREM', K_SCHEDULED, id) + redis.call('ZREM', K_RETRY, id) + redis.call('ZREM', K_PRIO, id)
if removed == 0 then
  -- Pending in ready or stalled: removing it there would take time proportional to the list. One tombstone per
  -- cancelled occurrence: the same id may sit there twice (cancelled, forgotten, enqueued and cancelled again).
  redis.call('HINCRBY', K_TOMBSTONES, id, 1)
end
local now = now_ms()
redis.call('ZADD', K_CANCELLED, now, id)
trim(K_CANCELLED, tonumber(ARGV[2]), tonumber(ARGV[3]), now, 100)
return 'cancelled'
