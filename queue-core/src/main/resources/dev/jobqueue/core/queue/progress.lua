#!lua
--[[ Stores a running job's progress, if its lease is still held.
KEYS: leases progress jobs events history
ARGV[1] id, ARGV[2] fencing token, ARGV[3] progress
Returns: 1 stored, 0 the lease is no longer held ]]
-- @include common

if redis.call('HGET', K_LEASES, ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', K_PROGRESS, ARGV[1], ARGV[3])
emit('progress', ARGV[1], 'progress', ARGV[3])
return 1
