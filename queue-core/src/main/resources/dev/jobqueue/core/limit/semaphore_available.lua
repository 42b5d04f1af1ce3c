#!lua
--[[ Counts free permits.
KEYS[1] permits  zset permit id -> expiry (ms, Redis clock)
KEYS[2] limit    string, the limit set at run time (absent: ARGV[1])
ARGV[1] limit to use when none is stored
Returns: {free permits (never below 0), limit} ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(redis.call('GET', KEYS[2]) or ARGV[1])
local held = redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
return {math.max(limit - held, 0), limit}
