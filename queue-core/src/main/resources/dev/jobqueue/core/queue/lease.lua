#!lua flags=allow-oom
--[[ Promotes due delayed jobs, then leases up to ARGV[1] pending jobs: at most one suspect first when allowed, then
higher priority first, FIFO within one. A paused queue leases nothing. Members of a batch that ended early are
cancelled instead (cancelling_batches). Allowed under OOM: leasing moves ids and lets workers drain the queue.
KEYS: jobs ready prio scheduled retry active leases attempts failures priorities seq token wake stalled tombstones
      paused completed cancelled skipped dead cancels flows uniques batches chains ended cancelling relay events event_count
ARGV[1] most jobs to lease
ARGV[2] lease length in ms
ARGV[3] most delayed jobs to promote per delayed set
ARGV[4] '1' when one suspect (a job whose lease expired unfinished) may be among them
Returns: { now ms, fencing token, ms until the next delayed job is due (-1: none; only when nothing was leased),
           { per leased job that is not a first attempt, has failed or is a suspect: its position (from 1), attempt
             number, failures so far, 1 when it is a suspect else 0 } (every other job: attempt 1, no failures),
           then per leased job: id, envelope (nil when the job data is missing) } ]]
-- @include common

local now = now_ms()
if redis.call('EXISTS', K_PAUSED) == 1 then return { now, 0, -1, {} } end
batch_events()
local promote_limit = tonumber(ARGV[3])
local promoted = 0
for _, delayed in ipairs({ K_SCHEDULED, K_RETRY }) do
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, promote_limit)
  if #due > 0 then
    call_chunked('ZREM', delayed, due)
    for _, id in ipairs(due) do make_ready(id, false); emit('promoted', id) end
    promoted = promoted + #due
  end
end

local max = tonumber(ARGV[1])
local tombstoned = redis.call('HLEN', K_TOMBSTONES) > 0
local dropped = false
-- Drops ids of cancelled jobs still sitting in a list; each tombstone drops one occurrence.
local function live(id)
  if not tombstoned then return true end
  local left = redis.call('HINCRBY', K_TOMBSTONES, id, -1)
  if left >= 0 then
    if left == 0 then redis.call('HDEL', K_TOMBSTONES, id) end
    dropped = true
    return false
  end
  redis.call('HDEL', K_TOMBSTONES, id)
  return true
end

local ids, suspect = {}, nil
if ARGV[4] == '1' and max > 0 then
  local candidate = redis.call('RPOP', K_STALLED)
  while candidate and not live(candidate) do candidate = redis.call('RPOP', K_STALLED) end
  if candidate then ids[1] = candidate; suspect = candidate end
end
local function take(found)
  for _, id in ipairs(found) do
    if not tombstoned or live(id) then ids[#ids + 1] = id end
  end
end
if #ids < max then
  local high = redis.call('ZRANGEBYSCORE', K_PRIO, '-inf', '(0', 'LIMIT', 0, max - #ids)
  if #high > 0 then call_chunked('ZREM', K_PRIO, high); take(high) end
end
-- Cancelled ids dropped on the way leave room: pop on (a bounded number of times), so that a cancelled batch's
-- thousands of tombstoned members do not take a lease call each.
for _ = 1, tombstoned and 100 or 1 do
  if #ids >= max then break end
  local popped = redis.call('RPOP', K_READY, max - #ids)
  if not popped then break end
  take(popped)
end
if #ids < max then
  local low = redis.call('ZRANGEBYSCORE', K_PRIO, '0', '+inf', 'LIMIT', 0, max - #ids)
  if #low > 0 then call_chunked('ZREM', K_PRIO, low); take(low) end
end
if redis.call('EXISTS', K_CANCELLING) == 1 then ids = cancelling_batches(ids, now) end
if promoted > #ids then
  wake(promoted - #ids)
elseif (#ids == max or dropped) and redis.call('LLEN', K_READY) + redis.call('ZCARD', K_PRIO) > 0 then
  -- Work is left: pass the wake-up on, so idle workers do not sleep through a burst bigger than the signals.
  wake(1)
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
  -- A worker that holds a suspect may take the next one once it settles (which signals no one): look again soon.
  if ARGV[4] ~= '1' and redis.call('LLEN', K_STALLED) > 0 and (next_due < 0 or next_due > 100) then next_due = 100 end
  flush_events()
  return { now, 0, next_due, {} }
end

-- Never lower than the clock: a replica promoted after missing the last grants still grants higher tokens.
local token = redis.call('INCR', K_TOKEN)
if token <= now * 1000 then
  token = now * 1000 + 1
  redis.call('SET', K_TOKEN, string.format('%.0f', token))
end
local token_text = string.format('%.0f', token)
-- Formatted once: a number passed to redis.call is formatted per use.
local deadline = string.format('%.0f', now + tonumber(ARGV[2]))
local leases, deadlines = {}, {}
for i, id in ipairs(ids) do
  deadlines[2 * i - 1], deadlines[2 * i] = deadline, id
  leases[2 * i - 1], leases[2 * i] = id, token_text
end
pin_active()
redis.call('ZADD', K_ACTIVE, unpack(deadlines))
pin_leases()
redis.call('HSET', K_LEASES, unpack(leases))
local envelopes = redis.call('HMGET', K_JOBS, unpack(ids))
-- Both hashes are empty while every job succeeds the first time: no per-job lookups then.
local ended, failures = {}, {}
if redis.call('HLEN', K_ATTEMPTS) > 0 then ended = redis.call('HMGET', K_ATTEMPTS, unpack(ids)) end
if redis.call('HLEN', K_FAILURES) > 0 then failures = redis.call('HMGET', K_FAILURES, unpack(ids)) end
local events = batch_records ~= nil
-- The starts of first, non-suspect attempts: one record for them all (see batch_group).
local first, first_types, f = {}, {}, 0
local others = {}
local out = { now, token, -1, others }
for i, id in ipairs(ids) do
  local attempt = ended[i] and tonumber(ended[i]) + 1 or 1
  local envelope = envelopes[i]
  out[2 * i + 3], out[2 * i + 4] = id, envelope
  if attempt ~= 1 or failures[i] or id == suspect then
    local o = #others
    others[o + 1], others[o + 2], others[o + 3] = i, attempt, failures[i] and tonumber(failures[i]) or 0
    others[o + 4] = (id == suspect) and 1 or 0
  end
  if events then
    local job_kind = envelope and string.match(envelope, '^[^\t\n]*') or ''
    if attempt == 1 and id ~= suspect then
      f = f + 1
      first[f], first_types[f] = id, job_kind
    else
      event_started(id, attempt, id == suspect, job_kind)
    end
  end
end
if events then batch_group('started', first, first_types, US .. 'attempt' .. US .. '1') end
flush_events()
return out
