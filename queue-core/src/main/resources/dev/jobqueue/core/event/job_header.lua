#!lua
--[[ The header line of a stored job's envelope ('type TAB created TAB options', or 'type' when the id carries the
creation time, see JobEnvelope), without its payload: where RedisEventStore starts looking for the job's events.
KEYS: jobs
ARGV[1] job id
Returns: the header line, or nil when the job is not stored ]]

local envelope = redis.call('HGET', K_JOBS, ARGV[1])
if not envelope then return nil end
return string.sub(envelope, 1, (string.find(envelope, '\n', 1, true) or (#envelope + 1)) - 1)
