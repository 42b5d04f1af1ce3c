#!lua
--[[ Dispatches flows (dev.jobqueue.core.flow): jobs with a unique key, chains and batches. A large batch takes
several calls; the first one writes its record, with every member counted as pending.
KEYS: jobs ready prio scheduled retry active completed cancelled skipped dead priorities seq wake tombstones
      cancels flows uniques batches chains ended cancelling relay events event_count
      flow_index
ARGV[1] number of operations, then the operations:
  'new' ref                   the flow ref ('c<id>', 'b<id>') must not exist yet: otherwise nothing is done and
                              the call returns { 'exists' }
  'set' ref name value        writes one field of a flow's record
  'job' id envelope priority delay_ms parent unique_key
                              enqueues a job (see add_job) unless its id exists, its unique key is held by another
                              job still stored, or its parent batch has already ended (it then counts as cancelled)
  'start' spec parent         starts a stored node (see start_spec) unless its parent batch has already ended
  'cancel' id envelope        cancels a job whose flow, on another queue, let go of it (cancel_remote): nothing
                              about it goes back there any more; a job not stored yet is stored as cancelled
                              (envelope), so that a late 'job' operation for it creates nothing
Returns: { per 'job': 1 created, 0 not created, or the id of the job holding its unique key; per 'cancel': what
           cancel_job returns, or 'cancelled' for a job stored as cancelled } ]]
-- @include common

local now = now_ms()
local FLOW_INDEX_MAX = 10000
local out = {}
-- Whether the batch a member would join still runs; a member it no longer wants counts as cancelled.
local function joinable(parent)
  if string.sub(parent, 1, 1) ~= 'b' then return true end
  local bid = string.sub(parent, 2)
  if redis.call('HGET', K_BATCHES, bid .. ':status') == 'running' then return true end
  redis.call('HINCRBY', K_BATCHES, bid .. ':pending', -1)
  redis.call('HINCRBY', K_BATCHES, bid .. ':cancelled', 1)
  return false
end

local i = 2
for _ = 1, tonumber(ARGV[1]) do
  local op = ARGV[i]
  if op == 'new' then
    local ref = ARGV[i + 1]
    if redis.call('HEXISTS', flow_hash(ref), field(ref, 'status')) == 1 then return { 'exists' } end
    -- Listed for the dashboard, newest last; bounded, and entries whose record was forgotten leave from the old end.
    for _, old in ipairs(redis.call('ZRANGE', K_FLOW_INDEX, 0, 9)) do
      if redis.call('HEXISTS', flow_hash(old), field(old, 'status')) == 0 then redis.call('ZREM', K_FLOW_INDEX, old) end
    end
    redis.call('ZADD', K_FLOW_INDEX, now, ref)
    redis.call('ZREMRANGEBYRANK', K_FLOW_INDEX, 0, -(FLOW_INDEX_MAX + 1))
    i = i + 2
  elseif op == 'set' then
    local ref = ARGV[i + 1]
    redis.call('HSET', flow_hash(ref), field(ref, ARGV[i + 2]), ARGV[i + 3])
    i = i + 4
  elseif op == 'job' then
    local id, envelope, p, delay = ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
    local parent, claim = ARGV[i + 5], ARGV[i + 6]
    local holder = (claim ~= '') and redis.call('HGET', K_UNIQUES, claim)
    if holder and holder ~= id and redis.call('HEXISTS', K_JOBS, holder) == 1 then
      out[#out + 1] = holder
    elseif parent ~= '' and not joinable(parent) then
      out[#out + 1] = 0
    else
      local created = add_job(id, envelope, p, (delay > 0) and (now + delay) or nil, now, nil)
      if created >= 0 then
        if claim ~= '' then redis.call('HSET', K_UNIQUES, claim, id) end
        if parent ~= '' or claim ~= '' then redis.call('HSET', K_FLOWS, id, parent .. '\t' .. claim) end
        if created == 1 then wake(1) end
        out[#out + 1] = 1
      else
        out[#out + 1] = (holder == id) and 1 or 0
      end
    end
    i = i + 7
  elseif op == 'start' then
    local spec, parent = ARGV[i + 1], ARGV[i + 2]
    if joinable(parent) then
      start_spec(spec, parent, now, nil)
    elseif string.sub(spec, 1, 1) == 'c' or string.sub(spec, 1, 1) == 'b' then
      local ref = string.sub(spec, 1, 1) .. string.sub(spec, 3)
      redis.call('HSET', flow_hash(ref), field(ref, 'status'), 'cancelled')
    end
    i = i + 3
  elseif op == 'cancel' then
    local id, envelope = ARGV[i + 1], ARGV[i + 2]
    redis.call('HDEL', K_FLOWS, id)
    if redis.call('HEXISTS', K_JOBS, id) == 1 then
      out[#out + 1] = cancel_job(id, now)
    elseif envelope ~= '' then
      redis.call('HSET', K_JOBS, id, envelope)
      redis.call('ZADD', K_CANCELLED, now, id)
      emit('cancelled', id)
      out[#out + 1] = 'cancelled'
    else
      out[#out + 1] = 'unknown'
    end
    i = i + 3
  else
    error('jobqueue: unknown flow operation ' .. tostring(op))
  end
end
return out
