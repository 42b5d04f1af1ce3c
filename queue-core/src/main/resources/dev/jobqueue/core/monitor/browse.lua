#!lua flags=no-writes
--[[ One page of a queue's jobs in one state, by rank; reads only the page.
KEYS: ready prio stalled tombstones
KEYS[KEY_BASE + 1]: the zset of the state browsed, for any state but pending (see queue/common.lua)
ARGV[1] 'pending', or anything else for the zset; ARGV[2] offset (rank of the first entry); ARGV[3] limit
ARGV[4] 'desc' (newest first) or 'asc'
Returns: { total, id, time in ms (-1 for pending), id, ... }

Pending jobs live in three places: 'stalled' (suspects, leased first), 'prio' (score -priority * 2^42 + position,
lower runs first) and 'ready' (priority 0, LPUSH in, RPOP out). Newest first means reverse running order: prio
from the top while the score is >= 0 (negative priorities), then ready from its head, then the rest of prio
(positive priorities), then stalled from its head. Cancelled jobs whose ids still sit in ready or stalled
(tombstones) are left out of the page, so a page may hold fewer entries than asked for. ]]

local state, offset, limit, desc = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == 'desc'
local reply = { 0 }

if state == 'pending' then
  local llen, zcard, slen = redis.call('LLEN', K_READY), redis.call('ZCARD', K_PRIO), redis.call('LLEN', K_STALLED)
  local total = llen + zcard + slen
  reply[1] = math.max(0, total - redis.call('HLEN', K_TOMBSTONES))
  local first, last = offset, math.min(offset + limit, total) - 1
  if first > last then return reply end
  -- An ascending page is a descending page read backwards.
  local lo, hi = first, last
  if not desc then lo, hi = total - 1 - last, total - 1 - first end
  local low = redis.call('ZCOUNT', K_PRIO, 0, '+inf')
  local segments = {
    { 0, low, function(a, b) return redis.call('ZREVRANGE', K_PRIO, a, b) end },
    { low, low + llen, function(a, b) return redis.call('LRANGE', K_READY, a - low, b - low) end },
    { low + llen, llen + zcard, function(a, b) return redis.call('ZREVRANGE', K_PRIO, a - llen, b - llen) end },
    { llen + zcard, total, function(a, b) return redis.call('LRANGE', K_STALLED, a - llen - zcard, b - llen - zcard) end } }
  local ids = {}
  for _, segment in ipairs(segments) do
    local a, b = math.max(lo, segment[1]), math.min(hi, segment[2] - 1)
    if a <= b then
      for _, id in ipairs(segment[3](a, b)) do ids[#ids + 1] = id end
    end
  end
  local from, to, step = 1, #ids, 1
  if not desc then from, to, step = #ids, 1, -1 end
  for i = from, to, step do
    if redis.call('HEXISTS', K_TOMBSTONES, ids[i]) == 0 then
      reply[#reply + 1] = ids[i]
      reply[#reply + 1] = -1
    end
  end
  return reply
end

local key = KEYS[KEY_BASE + 1]
-- 'active' may hold a pin scored +inf (ACTIVE_PIN in queue/common.lua): not a job, so neither counted nor listed.
local pinned = redis.call('ZSCORE', key, string.rep(' ', 65)) and 1 or 0
reply[1] = redis.call('ZCARD', key) - pinned
if desc then offset = offset + pinned end
local stop = math.min(offset + limit, reply[1] + (desc and pinned or 0)) - 1
if stop < offset then return reply end
local entries = redis.call(desc and 'ZREVRANGE' or 'ZRANGE', key, offset, stop, 'WITHSCORES')
for i = 1, #entries, 2 do
  reply[#reply + 1] = entries[i]
  reply[#reply + 1] = tonumber(entries[i + 1])
end
return reply
