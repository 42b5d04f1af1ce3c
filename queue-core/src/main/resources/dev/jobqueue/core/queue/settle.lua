#!lua flags=allow-oom
--[[ Settles attempts of leased jobs: one fencing check per attempt, then its outcome and its declared effects,
all or nothing. Allowed under OOM: settling frees memory, and refusing it would make finished jobs run again.
KEYS: jobs ready prio scheduled retry active leases attempts failures stalls priorities errors results progress
      completed cancelled skipped dead seq wake stalled cancels reaped tombstones flows uniques batches chains ended
      cancelling relay events event_count history
  then effect keys, referenced by index n as KEYS[KEY_BASE + n]
ARGV[1] completed (and cancelled, skipped) jobs to keep, ARGV[2] their longest age in ms (-1: no age limit)
ARGV[3] dead jobs to keep, ARGV[4] their longest age in ms (-1: no age limit)
ARGV[5] expired or crashed attempts after which a job is a poison pill
ARGV[6] number of attempts
then per attempt: id, fencing token, outcome, value, error JSON, then its effects (see effects in common.lua);
  or for a group of completions without result or effects under one fencing token (most of a worker's attempts):
  '' (never a job id), fencing token, the jobs' type ('' when unknown), number of attempts, then their ids
A job that ends for good (completed, skipped, dead, cancelled) and belongs to a flow tells it here (job_finished).
  outcome 'c' completed      value: result JSON ('' for none); error: the job's type ('' when unknown), for its event
          'r' retry          value: delay in ms
          'd' dead-lettered
          'h' handed back    value: delay in ms (0: front of its priority now); error: '1' when the handler started
          'x' cancelled
          's' skipped        value: the reason (JSON)
          'k' crashed its worker (counts as a stall: pending again as a suspect, or dead past the limit)
          'l' finished late: its outcome could not be written before the lease ran out and the reaper reclaimed
              the job; needs no lease: the token must be the one reclaimed, and the stall is taken back
Jobs handed back in one call go to the front of the line in turn: give them newest first.
An attempt whose job's cancel was requested meanwhile ends cancelled instead of 'r', 'h' or 'k': the job would
otherwise run again after its caller was told it stops.
Returns: { dead letters trimmed, then per attempt not simply settled (most are): its position (from 1), and 0 when
refused (the lease is no longer held) or 2 when settled as cancelled } ]]
-- @include common

local now = now_ms()
local keep, max_age = tonumber(ARGV[1]), tonumber(ARGV[2])
local dead_keep, dead_age = tonumber(ARGV[3]), tonumber(ARGV[4])
local max_stalls = tonumber(ARGV[5])
local n = tonumber(ARGV[6])
batch_events()

-- First pass: both forms into per-attempt tables, and the ids for one HMGET of the leases. A completion's error slot
-- holds its type, which the worker passes for its event (the envelope stays put).
local ids, tokens, outcomes, value_of, errs, fx = {}, {}, {}, {}, {}, {}
local plain = true
local i, j = 7, 0
while j < n do
  if ARGV[i] == '' then
    local token, kind, last = ARGV[i + 1], ARGV[i + 2], i + 3 + tonumber(ARGV[i + 3])
    for k = i + 4, last do
      j = j + 1
      ids[j], tokens[j], outcomes[j], value_of[j], errs[j] = ARGV[k], token, 'c', '', kind
    end
    i = last + 1
  else
    j = j + 1
    local outcome = ARGV[i + 2]
    ids[j], tokens[j], outcomes[j], value_of[j], errs[j] = ARGV[i], ARGV[i + 1], outcome, ARGV[i + 3], ARGV[i + 4]
    if outcome ~= 'c' then plain = false end
    i = i + 5
    if ARGV[i] == '0' then i = i + 1 else plain = false; fx[j] = i; i = effects(i, false, now) end
  end
end
local held = redis.call('HMGET', K_LEASES, unpack(ids))

local in_flows = redis.call('HLEN', K_FLOWS) > 0
local out, completed, results, finished, values = { 0 }, {}, {}, {}, {}
-- Only the attempts not simply settled are answered: most are.
local function answer(j, code) out[#out + 1] = j; out[#out + 1] = code end
local woken, dead, kept = 0, 0, {}
local cancelling = redis.call('HLEN', K_CANCELS) > 0
if plain and not in_flows and not cancelling then
  -- The happy path: completions without effects, of jobs outside flows and not being cancelled.
  local quick = batch_records and redis.call('HLEN', K_ATTEMPTS) == 0
  -- quick: emit_settled's completed events, attempt 1, one record per lease (its jobs share the time they ran).
  local leased, groups = {}, {}
  local c = 0
  for j = 1, n do
    local id = ids[j]
    if held[j] ~= tokens[j] then
      answer(j, 0)
    else
      c = c + 1
      completed[c] = id
      if keep > 0 and value_of[j] ~= '' then
        results[#results + 1] = id
        results[#results + 1] = value_of[j]
      end
      if quick then
        local group = groups[held[j]]
        if not group then
          group = { {}, {} }
          groups[held[j]] = group
          leased[#leased + 1] = held[j]
        end
        local k = #group[1] + 1
        group[1][k], group[2][k] = id, (errs[j] ~= '') and errs[j] or job_type(id)
      elseif batch_records then
        if errs[j] ~= '' then batch_types[id] = errs[j] end
        emit_settled(id, 'c', '', '', held[j], max_stalls, now)
      end
    end
  end
  for _, token in ipairs(leased) do
    batch_group('completed', groups[token][1], groups[token][2], US .. 'attempt' .. US .. '1' .. US .. 'ms' .. US
      .. ran_text(token, now))
  end
  finished = completed
else
  for j = 1, n do
    local id, outcome, value, err = ids[j], outcomes[j], value_of[j], errs[j]
    if outcome == 'l' then
      if redis.call('HGET', K_REAPED, id) == tokens[j] then
        emit_settled(id, outcome, value, err, nil, max_stalls, now)
        redis.call('HDEL', K_REAPED, id)
        redis.call('HINCRBY', K_STALLS, id, -1)
      else
        answer(j, 0)
      end
    elseif held[j] ~= tokens[j] then
      answer(j, 0)
    else
      finished[#finished + 1] = id
      if cancelling and (outcome == 'r' or outcome == 'h' or outcome == 'k')
          and redis.call('HDEL', K_CANCELS, id) == 1 then
        outcome = 'x'
        answer(j, 2)
      end
      if batch_records then
        if outcome == 'c' and err ~= '' then batch_types[id] = err end
        emit_settled(id, outcome, value, err, held[j], max_stalls, now)
      end
      if outcome == 'c' then
        completed[#completed + 1] = id
        if keep > 0 and value ~= '' then
          results[#results + 1] = id
          results[#results + 1] = value
        end
        if in_flows then values[id] = value end
      else
        end_lease(id)
        -- The attempt ended without completing; one handed back before its handler started never began.
        if outcome ~= 'h' or err == '1' then redis.call('HINCRBY', K_ATTEMPTS, id, 1) end
        if outcome == 'r' then
          redis.call('HINCRBY', K_FAILURES, id, 1)
          redis.call('HSET', K_ERRORS, id, err)
          redis.call('ZADD', K_RETRY, now + tonumber(value), id)
          woken = woken + 1
        elseif outcome == 'd' then
          redis.call('HINCRBY', K_FAILURES, id, 1)
          dead_letter(id, err, now)
          dead = dead + 1
          if in_flows then job_finished(id, nil, 'dead', err, now) end
        elseif outcome == 'h' then
          if tonumber(value) > 0 then
            redis.call('ZADD', K_SCHEDULED, now + tonumber(value), id)
            woken = woken + 1
          else
            make_ready(id, true)
            woken = woken + 1
          end
        elseif outcome == 'x' then
          redis.call('ZADD', K_CANCELLED, now, id)
          kept[#kept + 1] = K_CANCELLED
          if in_flows then job_finished(id, nil, 'cancelled', '', now) end
        elseif outcome == 's' then
          redis.call('HSET', K_RESULTS, id, value)
          redis.call('ZADD', K_SKIPPED, now, id)
          kept[#kept + 1] = K_SKIPPED
          if in_flows then job_finished(id, nil, 'ok', '', now) end
        elseif outcome == 'k' then
          if redis.call('HINCRBY', K_STALLS, id, 1) > max_stalls then
            dead_letter(id, err, now)
            dead = dead + 1
            if in_flows then job_finished(id, nil, 'dead', err, now) end
          else
            redis.call('RPUSH', K_STALLED, id)
            woken = woken + 1
          end
        else
          error('jobqueue: unknown outcome ' .. tostring(outcome))
        end
      end
      if fx[j] then
        local _, extra = effects(fx[j], true, now)
        woken = woken + extra
      end
    end
  end
end

if #completed > 0 and in_flows then jobs_completed(completed, values, now) end
flush_events()
if #completed > 0 then
  call_chunked('ZREM', K_ACTIVE, completed)
  unpin_active()
  if keep > 0 then
    call_chunked('HDEL', K_LEASES, completed)
    unpin_leases()
    if #results > 0 then redis.call('HSET', K_RESULTS, unpack(results)) end
    local scored = {}
    for j, id in ipairs(completed) do scored[2 * j - 1], scored[2 * j] = now, id end
    redis.call('ZADD', K_COMPLETED, unpack(scored))
    trim(K_COMPLETED, keep, max_age, now, #completed + 100)
  else
    forget(completed)
  end
end
for _, zset in ipairs(kept) do trim(zset, keep, max_age, now, 100) end
if #finished > 0 and cancelling then call_chunked('HDEL', K_CANCELS, finished) end
if #finished > 0 and redis.call('HLEN', K_REAPED) > 0 then call_chunked('HDEL', K_REAPED, finished) end
local trimmed = 0
if dead > 0 then trimmed = trim(K_DEAD, dead_keep, dead_age, now, dead + 100) end
if woken > 0 then wake(woken) end
out[1] = trimmed
return out
