#!lua
--[[ Deletes a relay entry once applied, only if it still holds the value that was applied.
KEYS: relay
ARGV[1] field, ARGV[2] the value applied
Returns: 1 deleted, 0 changed or gone ]]

if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])
