#!lua
--[[ Stores a running job's progress, if its lease is still held.
KEYS: leases progress jobs events event_count
ARGV[1] id, ARGV[2] fencing token, ARGV[3] progress, ARGV[4] the job's type for its event ('': read it from the job)
Returns: 1 stored, 0 the lease is no longer held ]]
-- @include common

if redis.call('HGET', K_LEASES, ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', K_PROGRESS, ARGV[1], ARGV[3])
emit_typed('progress', ARGV[1], (ARGV[4] ~= '') and ARGV[4] or nil, 'progress', ARGV[3])
return 1
