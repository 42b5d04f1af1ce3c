#!lua
--[[ Records that the job of a claimed fire time is in its queue.
KEYS[1] state  hash (see tick.lua)
ARGV[1] the fire time, ms
Returns: 1 ]]
if tonumber(redis.call('HGET', KEYS[1], 'enqueued') or '0') < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'enqueued', ARGV[1])
end
return 1
