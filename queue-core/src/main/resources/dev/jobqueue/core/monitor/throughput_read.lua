#!lua flags=no-writes
--[[ Reads a queue's per-minute ring with Redis's current minute.
KEYS[1] the queue's throughput hash (see throughput_add.lua)
Returns: { current minute, slot, value, slot, value, ... } ]]

local t = redis.call('TIME')
local reply = { math.floor(tonumber(t[1]) / 60) }
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do reply[#reply + 1] = v end
return reply
