#!lua
--[[ Resumes a paused schedule from now: fire times while it was paused stay skipped.
KEYS[1] state  hash (see tick.lua)
Returns: 1 ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'paused', 0, 'last', math.max(tonumber(redis.call('HGET', KEYS[1], 'last') or '0'), now), 'seen', now)
return 1
