#!lua flags=no-writes
--[[ Reads everything known about one job, in bounded time.
KEYS: jobs active scheduled retry completed dead cancelled skipped prio ready stalled attempts failures stalls errors
      results progress cancels
ARGV[1] id
Returns: { envelope, state, time of the state in ms (due, deadline or finish; -1 for none), attempts, failures,
           stalls, error, result, progress, 1 when a cancel was requested else 0 }, or nil when no such job is kept.
State 'unknown' means the job is stored but in no state: not in any set, nor within the first 10,000 ids at
either end of the pending lists (a longer list is not searched further: the job is then reported pending). ]]
-- @include common

local LIST_SEARCH = 10000
local id = ARGV[1]
local envelope = redis.call('HGET', K_JOBS, id)
if not envelope then return nil end
local state, at = nil, -1
for _, candidate in ipairs({ { 'active', K_ACTIVE }, { 'scheduled', K_SCHEDULED }, { 'retrying', K_RETRY },
                             { 'completed', K_COMPLETED }, { 'dead', K_DEAD }, { 'cancelled', K_CANCELLED },
                             { 'skipped', K_SKIPPED } }) do
  local score = redis.call('ZSCORE', candidate[2], id)
  if score then state, at = candidate[1], tonumber(score) break end
end
if not state and redis.call('ZSCORE', K_PRIO, id) then state = 'pending' end
if not state then
  for _, list in ipairs({ K_READY, K_STALLED }) do
    if redis.call('LPOS', list, id, 'MAXLEN', LIST_SEARCH) or redis.call('LPOS', list, id, 'RANK', -1, 'MAXLEN', LIST_SEARCH)
        or redis.call('LLEN', list) > 2 * LIST_SEARCH then
      state = 'pending'
      break
    end
  end
end
-- Stored attempts are those that ended without completing; a running or completed attempt is one more.
local attempts = tonumber(redis.call('HGET', K_ATTEMPTS, id) or '0')
if state == 'active' or state == 'completed' then attempts = attempts + 1 end
return { envelope, state or 'unknown', at, attempts,
  tonumber(redis.call('HGET', K_FAILURES, id) or '0'),
  tonumber(redis.call('HGET', K_STALLS, id) or '0'),
  redis.call('HGET', K_ERRORS, id),
  redis.call('HGET', K_RESULTS, id),
  redis.call('HGET', K_PROGRESS, id),
  redis.call('HEXISTS', K_CANCELS, id) }
