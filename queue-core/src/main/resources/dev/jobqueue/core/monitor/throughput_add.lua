--[[ Adds to the current minute's counts in a ring of per-minute slots; a slot still holding an older minute is reset.
KEYS[1] the queue's throughput hash: slot (minute mod ring size) -> "<minute> <processed> <failed>"
ARGV[1] processed, ARGV[2] failed, ARGV[3] ring size in minutes
Returns: the current minute (minutes since the epoch, Redis clock) ]]

local t = redis.call('TIME')
local minute = math.floor(tonumber(t[1]) / 60)
local slot = tostring(minute % tonumber(ARGV[3]))
local processed, failed = 0, 0
local old = redis.call('HGET', KEYS[1], slot)
if old then
  local m, p, f = string.match(old, '^(%d+) (%d+) (%d+)$')
  if tonumber(m) == minute then processed, failed = tonumber(p), tonumber(f) end
end
processed = processed + tonumber(ARGV[1])
failed = failed + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], slot, string.format('%d %d %d', minute, processed, failed))
-- Twice the ring: a queue nobody works on any more leaves nothing behind.
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]) * 120)
return minute
