#!lua
--[[ Writes a value guarded by fencing tokens: accepted only if the token is at least the highest seen.
KEYS[1] resource  hash {token = highest token seen, value = last accepted value}
ARGV[1] the writer's fencing token
ARGV[2] the value
Returns: {1, token} written; {0, highest token seen} refused (a newer holder has written) ]]
local seen = tonumber(redis.call('HGET', KEYS[1], 'token') or '-1')
local token = tonumber(ARGV[1])
if token < seen then return {0, seen} end
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'value', ARGV[2])
return {1, token}
