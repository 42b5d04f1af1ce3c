#!lua
--[[ Counts one dead-letter alert in its job type's flood window, on Redis's clock, once per alert: an alert
delivered again (its event was not acknowledged) gets the decision it got the first time. Windows start at
multiples of their length, so every node puts an alert in the same window.
KEYS: counts errors due alert
 counts  hash  type|window start -> alerts counted in that window
 errors  hash  type|window start -> the error of the latest alert held back in that window
 due     zset  type|window start, score = window end (ms); the flush takes each window once it has ended
 alert   hash  'admitted' -> 1 (send) or 0 (held back), and the alerters it reached (name -> 1); expires
ARGV[1] job type, ARGV[2] error, ARGV[3] window ms, ARGV[4] alerts sent one by one per window and type,
ARGV[5] how long to remember the alert, ms
Returns: {1 send / 0 held back, 1 delivered before / 0 first delivery, names of the alerters it already reached...} ]]
local decided = redis.call('HGET', K_ALERT, 'admitted')
local again = decided and 1 or 0
if not decided then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local window = tonumber(ARGV[3])
  local start = now - (now % window)
  local field = ARGV[1] .. '|' .. string.format('%d', start)
  local count = redis.call('HINCRBY', K_COUNTS, field, 1)
  if count == 1 then
    redis.call('ZADD', K_DUE, start + window, field)
  end
  if count <= tonumber(ARGV[4]) then
    decided = '1'
  else
    decided = '0'
    redis.call('HSET', K_ERRORS, field, ARGV[2])
  end
  redis.call('HSET', K_ALERT, 'admitted', decided)
  redis.call('PEXPIRE', K_ALERT, ARGV[5])
end
local reply = {tonumber(decided), again}
for _, name in ipairs(redis.call('HKEYS', K_ALERT)) do
  if name ~= 'admitted' then
    reply[#reply + 1] = name
  end
end
return reply
