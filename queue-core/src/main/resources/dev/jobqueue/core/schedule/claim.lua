#!lua
--[[ Claims one fire time for this node: succeeds only if no node claimed a later or equal one since
this node's tick (compare-and-set on 'last'), so each fire time is claimed once across all nodes.
KEYS[1] state  hash (see tick.lua)
ARGV[1] 'last' as this node read it
ARGV[2] the fire time to claim, ms
ARGV[3] 1 when a job is to be enqueued for it, 0 when it is skipped
Returns: 1 claimed; 0 another node got there first ]]
if redis.call('HGET', KEYS[1], 'last') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'last', ARGV[2])
if ARGV[3] == '1' then
  local t = redis.call('TIME')
  redis.call('HSET', KEYS[1], 'pending', ARGV[2], 'claimed', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
end
return 1
