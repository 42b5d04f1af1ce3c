#!lua
--[[ Gives a permit back and wakes one waiter, unless it had already expired.
KEYS[1] permits  zset permit id -> expiry (ms, Redis clock)
KEYS[2] signal   list waiters block on; holds at most one signal, which expires unread
ARGV[1] permit id
ARGV[2] how long an unread signal is kept, in ms
Returns: 1 released; 0 unknown or expired (it may belong to someone else now: nothing else changed) ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not expiry then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
if tonumber(expiry) <= now then return 0 end
redis.call('DEL', KEYS[2])
redis.call('RPUSH', KEYS[2], '1')
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
