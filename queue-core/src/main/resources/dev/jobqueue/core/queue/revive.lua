#!lua
--[[ Moves dead-lettered jobs back to pending with a fresh retry budget. A job that died in a flow rejoins it while
the flow can take it back (rejoin in common.lua): a running batch counts it pending again, a chain failed at its
step resumes from it; otherwise it runs alone. A job of a flow homed on another queue asks that queue through
the relay (rejoin_remote): this script touches this store only.
KEYS: dead failures stalls priorities ready prio seq wake jobs flows batches chains ended attempts relay events event_count
ARGV[1] 'ids' to revive the ids that follow (up to the event settings, see emit), or 'oldest' to revive up to
  ARGV[2] of the oldest dead jobs
Returns: number of jobs revived ]]
-- @include common

local ids
if ARGV[1] == 'oldest' then
  ids = redis.call('ZRANGE', K_DEAD, 0, tonumber(ARGV[2]) - 1)
else
  ids = { unpack(ARGV, 2, last_arg()) }
end
local revived = 0
for _, id in ipairs(ids) do
  if redis.call('ZREM', K_DEAD, id) == 1 then
    redis.call('HDEL', K_FAILURES, id)
    redis.call('HDEL', K_STALLS, id)
    local ref, home = flow_of(id)
    if home then
      rejoin_remote(id, ref, home)
    elseif ref and rejoin(id, ref) then
      redis.call('HSET', K_FLOWS, id, ref .. '\t')
    end
    make_ready(id, false)
    emit('revived', id)
    revived = revived + 1
  end
end
if revived > 0 then wake(revived) end
return revived
