#!lua flags=allow-oom
--[[ Reclaims jobs whose lease expired unfinished (their worker died, hung or lost Redis). Each expired lease is
claimed here, in one script, so reapers racing each other reclaim a job once. A reclaimed job becomes a suspect:
it waits in 'stalled', and a worker runs at most one suspect at a time, so a job that keeps killing its worker
is the only suspect each time it does and alone reaches the limit; jobs that merely ran beside it do not.
A job whose cancel was requested ends cancelled instead. A job that ends here and belongs to a flow tells it
(job_finished): a poison pill releases its unique key, fails its chain or counts as a failure of its batch.
KEYS: active leases stalls stalled dead errors cancels cancelled wake reaped attempts jobs ready prio scheduled retry completed
      skipped priorities seq tombstones flows uniques batches chains ended cancelling relay events event_count
ARGV[1] stalls after which a job is dead-lettered as a poison pill
ARGV[2] most leases to reclaim per call
Returns: { { ids pending again }, { ids dead-lettered }, { ids cancelled } } ]]
-- @include common

local now = now_ms()
local max_stalls = tonumber(ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', K_ACTIVE, '-inf', '(' .. now, 'LIMIT', 0, tonumber(ARGV[2]))
local back, dead, cancelled = {}, {}, {}
-- Newest deadline first: each goes to the front, so the longest-waiting job ends up first in line.
for i = #expired, 1, -1 do
  local id = expired[i]
  local token = redis.call('HGET', K_LEASES, id)
  end_lease(id)
  redis.call('HINCRBY', K_ATTEMPTS, id, 1)
  if redis.call('HDEL', K_CANCELS, id) == 1 then
    emit('cancelled', id, 'reason', 'lease expired')
    redis.call('ZADD', K_CANCELLED, now, id)
    cancelled[#cancelled + 1] = id
    job_finished(id, nil, 'cancelled', '', now)
  else
    local stalls = redis.call('HINCRBY', K_STALLS, id, 1)
    emit('stalled', id, 'attempt', redis.call('HGET', K_ATTEMPTS, id), 'reason', 'lease expired')
    if stalls > max_stalls then
      local error_json = cjson.encode({
        message = 'The lease expired ' .. stalls .. ' times while the job ran: each time its worker died, hung or '
          .. 'lost Redis (a poison pill)',
        type = 'dev.jobqueue.core.worker.LeaseExpiredException' })
      emit('dead', id, 'attempt', redis.call('HGET', K_ATTEMPTS, id), 'error', error_json)
      dead_letter(id, error_json, now)
      dead[#dead + 1] = id
      job_finished(id, nil, 'dead', error_json, now)
    else
      redis.call('RPUSH', K_STALLED, id)
      if token then redis.call('HSET', K_REAPED, id, token) end
      back[#back + 1] = id
    end
  end
end
if #back > 0 then wake(#back) end
return { back, dead, cancelled }
