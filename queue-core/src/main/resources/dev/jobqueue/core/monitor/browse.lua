#!lua flags=no-writes
--[[ One page of a queue's jobs in one state, by rank; reads only the page.
KEYS[1] the queue's 'ready' list, KEYS[2] its 'prio' zset (see dev/jobqueue/core/queue/common.lua),
KEYS[3] the zset of the state browsed (any of the two for pending)
ARGV[1] state: 'pending', or any other for the zset KEYS[3]
ARGV[2] offset (rank of the first entry), ARGV[3] limit
ARGV[4] 'desc' (newest first) or 'asc'
Returns: { total, id, time in ms (-1 for pending), id, ... }

Pending jobs live in two places: the list 'ready' (priority 0, LPUSH in, RPOP out) and the zset 'prio'
(score -priority * 2^32 + sequence; lower runs first). Newest first means reverse running order:
prio ranks from the top while the score is >= 0 (negative priorities), then the list from its head,
then the rest of prio (positive priorities). ]]

local K_READY, K_PRIO = KEYS[1], KEYS[2]
local state, offset, limit, desc = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == 'desc'
local reply = { 0 }

local function add_ids(ids)
  for _, id in ipairs(ids) do
    reply[#reply + 1] = id
    reply[#reply + 1] = -1
  end
end

if state == 'pending' then
  local llen, zcard = redis.call('LLEN', K_READY), redis.call('ZCARD', K_PRIO)
  local total = llen + zcard
  reply[1] = total
  local first, last = offset, math.min(offset + limit, total) - 1
  if first > last then return reply end
  -- Ranks asked for in the order shown; an ascending page is a descending page read backwards.
  local lo, hi = first, last
  if not desc then lo, hi = total - 1 - last, total - 1 - first end
  local low = redis.call('ZCOUNT', K_PRIO, 0, '+inf')
  local segments = {
    { 0, low, function(a, b) return redis.call('ZREVRANGE', K_PRIO, a, b) end },
    { low, low + llen, function(a, b) return redis.call('LRANGE', K_READY, a - low, b - low) end },
    { low + llen, total, function(a, b) return redis.call('ZREVRANGE', K_PRIO, a - llen, b - llen) end } }
  local ids = {}
  for _, segment in ipairs(segments) do
    local a, b = math.max(lo, segment[1]), math.min(hi, segment[2] - 1)
    if a <= b then
      for _, id in ipairs(segment[3](a, b)) do ids[#ids + 1] = id end
    end
  end
  if not desc then
    local reversed = {}
    for i = #ids, 1, -1 do reversed[#reversed + 1] = ids[i] end
    ids = reversed
  end
  add_ids(ids)
  return reply
end

local key = KEYS[3]
reply[1] = redis.call('ZCARD', key)
local command = desc and 'ZREVRANGE' or 'ZRANGE'
local entries = redis.call(command, key, offset, offset + limit - 1, 'WITHSCORES')
for i = 1, #entries, 2 do
  reply[#reply + 1] = entries[i]
  reply[#reply + 1] = tonumber(entries[i + 1])
end
return reply
