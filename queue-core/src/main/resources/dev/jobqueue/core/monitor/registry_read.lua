#!lua flags=no-writes
--[[ Reads the workers whose heartbeat has not expired, oldest heartbeat first.
KEYS[1..4] as in registry_heartbeat.lua
ARGV[1] most workers to return
Returns: { now (ms, Redis clock), id, JSON, last heartbeat, id, ... } ]]

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local reply = { now }
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'LIMIT', 0, tonumber(ARGV[1]))) do
  reply[#reply + 1] = id
  reply[#reply + 1] = redis.call('HGET', KEYS[2], id) or false
  reply[#reply + 1] = redis.call('HGET', KEYS[3], id) or false
end
return reply
