#!lua
--[[ Takes a lock if it is free and hands out the next fencing token.
KEYS[1] lock   string "<token>:<owner>", expires with the lease
KEYS[2] token  counter of grants; never expires, so tokens grow across all holders forever
ARGV[1] owner id (unique per acquisition attempt)
ARGV[2] lease in ms
Returns: {1, token} when taken; {0, ms left on the holder's lease (-1: no expiry)} when held ]]
local left = redis.call('PTTL', KEYS[1])
if left ~= -2 then return {0, left} end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token .. ':' .. ARGV[1], 'PX', ARGV[2])
return {1, token}
