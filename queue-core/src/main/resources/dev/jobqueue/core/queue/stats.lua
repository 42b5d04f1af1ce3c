#!lua flags=no-writes
--[[ Counts jobs per state.
KEYS: ready prio stalled tombstones scheduled active completed retry dead cancelled skipped
Returns: { pending, scheduled, active, completed, retrying, dead, cancelled, skipped } ]]
-- @include common

-- One tombstone per id: an id cancelled twice while it sits twice in a list is counted once too many (rare).
local pending = redis.call('LLEN', K_READY) + redis.call('LLEN', K_STALLED) - redis.call('HLEN', K_TOMBSTONES)
return { math.max(0, pending) + redis.call('ZCARD', K_PRIO), redis.call('ZCARD', K_SCHEDULED),
  redis.call('ZCARD', K_ACTIVE) - (redis.call('ZSCORE', K_ACTIVE, ACTIVE_PIN) and 1 or 0), redis.call('ZCARD', K_COMPLETED), redis.call('ZCARD', K_RETRY),
  redis.call('ZCARD', K_DEAD), redis.call('ZCARD', K_CANCELLED), redis.call('ZCARD', K_SKIPPED) }
