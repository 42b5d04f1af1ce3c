--[[ Records a worker's heartbeat and forgets up to 100 workers whose heartbeat expired.
KEYS[1] workers      zset   worker id -> expiry (ms, Redis clock)
KEYS[2] worker-info  hash   worker id -> what it reported (JSON)
KEYS[3] worker-seen  hash   worker id -> last heartbeat (ms, Redis clock)
KEYS[4] queues       set    queue names ever reported
ARGV[1] worker id, ARGV[2] JSON, ARGV[3] time to live in ms, ARGV[4..] its queues
Returns: 1 ]]

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('HDEL', KEYS[2], unpack(expired))
  redis.call('HDEL', KEYS[3], unpack(expired))
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], now)
for i = 4, #ARGV do redis.call('SADD', KEYS[4], ARGV[i]) end
return 1
