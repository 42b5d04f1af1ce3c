#!lua flags=no-writes
--[[ Reads everything known about one job.
KEYS: the queue's keys (see common.lua)
ARGV[1] id
Returns: { envelope, state, time of the state in ms (due, deadline or finish; -1 for pending), attempts, failures,
           stalls, error, result, progress }, or nil when no such job is kept ]]
-- @include common

local id = ARGV[1]
local envelope = redis.call('HGET', K_JOBS, id)
if not envelope then return nil end
local state, at = 'pending', -1
for _, candidate in ipairs({ { 'active', K_ACTIVE }, { 'scheduled', K_SCHEDULED }, { 'retrying', K_RETRY },
                             { 'completed', K_COMPLETED }, { 'dead', K_DEAD }, { 'cancelled', K_CANCELLED } }) do
  local score = redis.call('ZSCORE', candidate[2], id)
  if score then state, at = candidate[1], tonumber(score) break end
end
return { envelope, state, at,
  tonumber(redis.call('HGET', K_ATTEMPTS, id) or '0'),
  tonumber(redis.call('HGET', K_FAILURES, id) or '0'),
  tonumber(redis.call('HGET', K_STALLS, id) or '0'),
  redis.call('HGET', K_ERRORS, id),
  redis.call('HGET', K_RESULTS, id),
  redis.call('HGET', K_PROGRESS, id) }
