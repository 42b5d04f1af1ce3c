#!lua flags=no-writes
--[[ Counts jobs per state.
KEYS: the queue's keys (see common.lua)
Returns: { pending, scheduled, active, completed, retrying, dead, cancelled } ]]
-- @include common

return { redis.call('LLEN', K_READY) + redis.call('ZCARD', K_PRIO), redis.call('ZCARD', K_SCHEDULED),
  redis.call('ZCARD', K_ACTIVE), redis.call('ZCARD', K_COMPLETED), redis.call('ZCARD', K_RETRY),
  redis.call('ZCARD', K_DEAD), redis.call('ZCARD', K_CANCELLED) }
