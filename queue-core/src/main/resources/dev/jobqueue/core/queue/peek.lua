#!lua flags=no-writes
--[[ The job the next dequeue would lease, without leasing it.
KEYS: the queue's keys (see common.lua)
Returns: { id, envelope, attempts }, or nil when nothing is pending ]]
-- @include common

local ids = redis.call('ZRANGEBYSCORE', K_PRIO, '-inf', '(0', 'LIMIT', 0, 1)
if #ids == 0 then
  local id = redis.call('LINDEX', K_READY, -1)
  if id then ids = { id } else ids = redis.call('ZRANGEBYSCORE', K_PRIO, '0', '+inf', 'LIMIT', 0, 1) end
end
if #ids == 0 then return nil end
return { ids[1], redis.call('HGET', K_JOBS, ids[1]), tonumber(redis.call('HGET', K_ATTEMPTS, ids[1]) or '0') }
