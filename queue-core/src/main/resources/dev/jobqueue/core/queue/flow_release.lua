#!lua
--[[ Releases a unique key when the job holding it starts (jobs unique only until they run).
KEYS: uniques
ARGV[1] the unique key, ARGV[2] the id of the job that must hold it
Returns: 1 released, 0 it was not held by that job ]]
-- @include common

if redis.call('HGET', K_UNIQUES, ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', K_UNIQUES, ARGV[1])
return 1
