#!lua flags=no-writes
--[[ The job the next lease would most likely take, without leasing it (suspects aside).
KEYS: jobs prio ready tombstones attempts
Returns: { id, envelope, attempts }, or nil when nothing is pending ]]
-- @include common

local id = redis.call('ZRANGEBYSCORE', K_PRIO, '-inf', '(0', 'LIMIT', 0, 1)[1]
if not id then
  -- Skips a few cancelled ids; past them, a guess is good enough for a peek.
  for i = -1, -10, -1 do
    local candidate = redis.call('LINDEX', K_READY, i)
    if not candidate then break end
    if redis.call('HEXISTS', K_TOMBSTONES, candidate) == 0 then id = candidate break end
  end
end
if not id then id = redis.call('ZRANGEBYSCORE', K_PRIO, '0', '+inf', 'LIMIT', 0, 1)[1] end
if not id then return nil end
return { id, redis.call('HGET', K_JOBS, id), tonumber(redis.call('HGET', K_ATTEMPTS, id) or '0') }
