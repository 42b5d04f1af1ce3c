#!lua
--[[ Promotes due delayed jobs, then leases up to ARGV[1] pending jobs: higher priority first, FIFO within one.
KEYS: the queue's keys (see common.lua)
ARGV[1] most jobs to lease
ARGV[2] lease length in ms
ARGV[3] most delayed jobs to promote per delayed set
Returns: { now ms, fencing token, ms until the next delayed job is due (-1: none; only when nothing was leased),
           then per leased job: id, envelope (nil when the job data is missing), attempt number, failures so far } ]]
-- @include common

local now = now_ms()
local promote_limit = tonumber(ARGV[3])
for _, delayed in ipairs({ K_SCHEDULED, K_RETRY }) do
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, promote_limit)
  if #due > 0 then
    call_chunked('ZREM', delayed, due)
    for _, id in ipairs(due) do make_ready(id, false) end
  end
end

local max = tonumber(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', K_PRIO, '-inf', '(0', 'LIMIT', 0, max)
if #ids > 0 then call_chunked('ZREM', K_PRIO, ids) end
if #ids < max then
  local popped = redis.call('RPOP', K_READY, max - #ids)
  if popped then for _, id in ipairs(popped) do ids[#ids + 1] = id end end
end
if #ids < max then
  local low = redis.call('ZRANGEBYSCORE', K_PRIO, '0', '+inf', 'LIMIT', 0, max - #ids)
  if #low > 0 then
    call_chunked('ZREM', K_PRIO, low)
    for _, id in ipairs(low) do ids[#ids + 1] = id end
  end
end

if #ids == 0 then
  local next_due = -1
  for _, delayed in ipairs({ K_SCHEDULED, K_RETRY }) do
    local first = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
    if #first > 0 then
      local wait = math.max(0, tonumber(first[2]) - now)
      if next_due < 0 or wait < next_due then next_due = wait end
    end
  end
  return { now, 0, next_due }
end

local token = redis.call('INCR', K_TOKEN)
local deadline = now + tonumber(ARGV[2])
local leases, deadlines = {}, {}
for i, id in ipairs(ids) do
  deadlines[2 * i - 1], deadlines[2 * i] = deadline, id
  leases[2 * i - 1], leases[2 * i] = id, token
end
redis.call('ZADD', K_ACTIVE, unpack(deadlines))
redis.call('HSET', K_LEASES, unpack(leases))
local envelopes = redis.call('HMGET', K_JOBS, unpack(ids))
local failures = redis.call('HMGET', K_FAILURES, unpack(ids))
local out = { now, token, -1 }
for i, id in ipairs(ids) do
  out[#out + 1] = id
  out[#out + 1] = envelopes[i]
  out[#out + 1] = redis.call('HINCRBY', K_ATTEMPTS, id, 1)
  out[#out + 1] = tonumber(failures[i] or '0')
end
return out
