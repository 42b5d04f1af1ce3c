#!lua
--[[ Records the hash tags of a sharded queue's partitions on a cluster, if nobody changed them meanwhile.
KEYS: partitions
ARGV[1] the tags as read before, comma-separated ('' when none were recorded), ARGV[2] the tags to record
Returns: the tags recorded now (ARGV[2] when the record was as read, else what another client recorded) ]]
local current = redis.call('GET', K_PARTITIONS) or ''
if current == ARGV[1] then
  redis.call('SET', K_PARTITIONS, ARGV[2])
  return ARGV[2]
end
return current
