--[[ Forgets a worker that stopped.
KEYS[1..4] as in registry_heartbeat.lua
ARGV[1] worker id
Returns: 1 when it was registered, else 0 ]]

redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return redis.call('ZREM', KEYS[1], ARGV[1])
