#!lua
--[[ Takes a permit if fewer than the limit are held; expired permits (holders that died) come back first.
KEYS[1] permits  zset permit id -> expiry (ms, Redis clock)
KEYS[2] limit    string, the limit set at run time (absent: ARGV[2])
KEYS[3] ids      counter of permit ids; never expires, so ids grow and can fence
ARGV[1] lease in ms
ARGV[2] limit to use when none is stored
Returns: {1, permit id, expiry ms} when taken; {0, ms until the first held permit expires} when none is free ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local limit = tonumber(redis.call('GET', KEYS[2]) or ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= limit then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local left = -1
  if first[2] then left = tonumber(first[2]) - now end
  return {0, left}
end
local id = redis.call('INCR', KEYS[3])
local expiry = now + tonumber(ARGV[1])
redis.call('ZADD', KEYS[1], expiry, id)
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {1, id, expiry}
