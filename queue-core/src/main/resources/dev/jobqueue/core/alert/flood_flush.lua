#!lua
--[[ Takes the flood windows that have ended (Redis's clock) and forgets their counts. Taking a window is one
script, so of several nodes flushing at once exactly one gets each window: one summary per window.
KEYS: counts errors due
ARGV[1] alerts sent one by one per window and type, ARGV[2] most windows to take
Returns: {type|window start, alerts held back, latest error, ...} for the ended windows that held alerts back,
and their due time; windows that held nothing back are forgotten without a reply ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local first = tonumber(ARGV[1])
local reply = {}
for _, field in ipairs(redis.call('ZRANGEBYSCORE', K_DUE, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  local held = tonumber(redis.call('HGET', K_COUNTS, field) or '0') - first
  if held > 0 then
    reply[#reply + 1] = field
    reply[#reply + 1] = held
    reply[#reply + 1] = redis.call('HGET', K_ERRORS, field) or ''
  end
  redis.call('HDEL', K_COUNTS, field)
  redis.call('HDEL', K_ERRORS, field)
  redis.call('ZREM', K_DUE, field)
end
return reply
