#!lua
--[[ Sets a held permit's lease to a new length from now, unless it had already expired.
KEYS[1] permits  zset permit id -> expiry (ms, Redis clock)
ARGV[1] permit id
ARGV[2] new lease in ms
Returns: the new expiry in ms; 0 when the permit is unknown or expired ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry or tonumber(expiry) <= now then return 0 end
local new = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], new, ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return new
