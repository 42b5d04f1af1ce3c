#!lua
--[[ Records a failed attempt of a leased job whose lease is still held: retry after a delay, or dead-letter it.
KEYS: the queue's keys (see common.lua)
ARGV[1] id
ARGV[2] fencing token
ARGV[3] 'retry' or 'dead'
ARGV[4] retry delay in ms
ARGV[5] error (JSON)
ARGV[6] dead jobs to keep
ARGV[7] longest time to keep a dead job, ms (-1: no age limit)
Returns: 1 recorded, 0 refused because the lease is no longer held (stale) ]]
-- @include common

local id = ARGV[1]
if not lease_held(id, ARGV[2]) then return 0 end
local now = now_ms()
end_lease(id)
redis.call('HINCRBY', K_FAILURES, id, 1)
if ARGV[3] == 'retry' then
  redis.call('HSET', K_ERRORS, id, ARGV[5])
  redis.call('ZADD', K_RETRY, now + tonumber(ARGV[4]), id)
else
  dead_letter(id, ARGV[5], now)
  trim(K_DEAD, tonumber(ARGV[6]), tonumber(ARGV[7]), now, 100)
end
return 1
