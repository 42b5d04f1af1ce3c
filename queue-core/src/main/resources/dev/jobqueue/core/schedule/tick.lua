#!lua
--[[ One node's look at a schedule: reads its state and notes that a node was here.
A schedule nobody looked at for longer than the outage threshold had an outage: the fire times up to
now are "missed" and follow the misfire policy; the first node to look after it records where the
outage ended ('gap'), so every node judges the same fire times missed. While paused, fire times pass.
KEYS[1] state  hash: last (last claimed fire, ms), seen (last look, ms), gap (end of the last outage, ms),
               paused (1/0), pending (last fire claimed to enqueue, ms), enqueued (last fire known enqueued,
               ms), claimed (Redis time of the last claim, ms)
ARGV[1] outage threshold in ms
Returns: {now, last, gap, paused, pending, enqueued, claimed} (ms; 0 when unset) ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s = redis.call('HMGET', KEYS[1], 'last', 'seen', 'gap', 'paused', 'pending', 'enqueued', 'claimed')
if not s[1] then
  -- A new schedule starts from now: no fire times before it existed.
  redis.call('HSET', KEYS[1], 'last', now, 'seen', now)
  return {now, now, 0, 0, 0, 0, 0}
end
local last, gap, paused = tonumber(s[1]), tonumber(s[3] or '0'), tonumber(s[4] or '0')
if now - tonumber(s[2] or '0') > tonumber(ARGV[1]) then
  gap = now
  redis.call('HSET', KEYS[1], 'gap', gap)
end
if paused == 1 then
  last = math.max(last, now)
  redis.call('HSET', KEYS[1], 'last', last)
end
redis.call('HSET', KEYS[1], 'seen', now)
return {now, last, gap, paused, tonumber(s[5] or '0'), tonumber(s[6] or '0'), tonumber(s[7] or '0')}
