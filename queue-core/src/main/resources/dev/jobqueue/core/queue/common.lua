--[[ Shared functions, placed by RedisScript after each script's header and the locals it generates for the
keys the header declares (K_JOBS for 'jobs', ...; KEY_BASE is the number of declared keys, and keys passed
after them, such as idempotency and effect keys, are KEYS[KEY_BASE + n]). A function here may only be called
by a script that declares every key the function uses; StoreScriptTests checks that. The keys of one store,
all under one hash tag (see QueueKeys):
 jobs        hash   id -> job envelope (type, creation time, options, payload), written once at enqueue
 ready       list   ids of pending jobs of priority 0 (LPUSH in, RPOP out: FIFO; RPUSH puts one at the front)
 prio        zset   ids of pending jobs of other priorities, score -priority * 2^42 + position
 scheduled   zset   ids of delayed or handed-back jobs, score = due time (ms, Redis clock)
 retry       zset   ids of failed jobs waiting for their back-off, score = due time
 active      zset   ids of leased jobs, score = lease deadline
 leases      hash   id -> fencing token of the lease held on an active job
 attempts    hash   id -> attempts that ended without completing (failed, stalled, handed back, cancelled...); the
                    attempt running or completed is one more, so the happy path writes nothing here
 failures    hash   id -> number of failed attempts
 stalls      hash   id -> number of leases that expired while the attempt was unfinished
 priorities  hash   id -> priority, only for jobs whose priority is not 0
 errors      hash   id -> last error (JSON)
 results     hash   id -> result of a completed job (JSON), or the reason a job was skipped
 progress    hash   id -> progress reported by the handler
 completed   zset   ids of completed jobs kept for a while, score = finish time
 cancelled   zset   ids of cancelled jobs kept for a while, score = cancel time
 skipped     zset   ids of skipped jobs kept for a while, score = finish time
 dead        zset   ids of dead-lettered jobs, score = time of death
 seq         string counter of queue positions (priority order, FIFO within a priority)
 token       string last fencing token granted; never lower than Redis's clock in ms * 1000
 wake        list   wake-up signals for idle workers blocked on BLPOP
 stalled     list   ids of jobs whose lease expired (suspects: a worker runs at most one at a time)
 tombstones  hash   id -> occurrences of a cancelled id still in ready or stalled: each is dropped when popped
 cancels     hash   id -> 1 for an active job whose cancel was requested: its worker stops it at the next heartbeat
 reaped      hash   id -> token of its lease the reaper reclaimed: if that attempt had in fact finished (its outcome
                    could not be written in time), its worker says so later and the stall is taken back
 flows       hash   id -> '<parent>\t<unique key>' of a job that belongs to a chain or a batch ('c<id>', 'b<id>'),
                    holds a unique key, or both; removed when the job finishes (see job_finished)
 uniques     hash   unique key -> id of the job holding it: released when that job completes, is skipped, dead-lettered
                    or cancelled (by settle, reap or cancel), or taken over when that job is no longer stored
 batches     hash   '<batch id>:<field>' -> a batch's record: total, pending, failed, cancelled, status (waiting,
                    running, succeeded, failed, cancelled), allow (1: allow failures), parent, keep, created, ended,
                    on_success / on_failure / on_complete (callback job specs), m:<n> (spec of member n until started)
 chains      hash   '<chain id>:<field>' -> a chain's record: steps, step (current), status (waiting, running,
                    completed, failed, cancelled), parent, keep, created, ended, error, s:<n> (spec of step n until
                    started), job:<n> (its job id), result:<n> (the result of a completed step)
 ended       zset   'b<id>' / 'c<id>' of finished batches and chains, score = when their record may be removed
 paused      string present while the queue is paused: leases hand out nothing, enqueues go on
 flow_index  zset   'b<id>' / 'c<id>' of top-level batches and chains, score = dispatch time; the newest 10,000, for
                    listing (dashboard); an entry may outlive its record, readers skip those ]]

-- A priority's positions: |priority| <= 1000 and positions < 2^42 keep scores exact in a double.
local SCALE = 4398046511104
-- FIFO positions count up from the middle of a priority's range; front-of-line positions count down from it.
local MID = 2199023255552
-- More wake-up signals than idle workers only cost a spurious look at the queue.
local MAX_WAKE_SIGNALS = 32
local CHUNK = 1000

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Runs a variadic command over ids in chunks that fit Lua's stack.
local function call_chunked(command, key, ids)
  for i = 1, #ids, CHUNK do
    redis.call(command, key, unpack(ids, i, math.min(i + CHUNK - 1, #ids)))
  end
end

-- The next queue position. It never wraps silently: it restarts only while no prioritised job waits.
local function next_position()
  local s = redis.call('INCR', K_SEQ)
  if s >= MID then
    if redis.call('ZCARD', K_PRIO) > 0 then
      error('jobqueue: queue positions exhausted while prioritised jobs wait; drain them once to restart positions')
    end
    redis.call('SET', K_SEQ, 1)
    s = 1
  end
  return s
end

-- Formats a score exactly: Lua would print numbers above 14 digits in exponent form.
local function priority_score(p, front)
  local s = next_position()
  if front then s = MID - s else s = MID + s end
  return string.format('%.0f', -p * SCALE + s)
end

-- Deletes everything stored about jobs.
local function forget(ids)
  if #ids == 0 then return end
  for _, hash in ipairs({ K_JOBS, K_LEASES, K_ATTEMPTS, K_FAILURES, K_STALLS, K_PRIORITIES, K_ERRORS, K_RESULTS,
                          K_PROGRESS, K_REAPED }) do
    call_chunked('HDEL', hash, ids)
  end
end

-- Makes a job pending again at its priority; at the front of its priority when it was already due before.
local function make_ready(id, front)
  local p = tonumber(redis.call('HGET', K_PRIORITIES, id) or '0')
  if p == 0 then
    if front then redis.call('RPUSH', K_READY, id) else redis.call('LPUSH', K_READY, id) end
  else
    redis.call('ZADD', K_PRIO, priority_score(p, front), id)
  end
end

local function wake(count)
  local add = math.min(count, MAX_WAKE_SIGNALS - redis.call('LLEN', K_WAKE))
  for _ = 1, add do redis.call('LPUSH', K_WAKE, '1') end
end

-- Stores a new job unless its id exists. Returns 1 when it is pending now (ids of priority 0 are appended to
-- ready_ids, for one LPUSH, when given), 0 when delayed, -1 when the id exists.
local function add_job(id, envelope, p, due, now, ready_ids)
  if redis.call('HSETNX', K_JOBS, id, envelope) == 0 then return -1 end
  if p ~= 0 then redis.call('HSET', K_PRIORITIES, id, p) end
  if due and due > now then
    redis.call('ZADD', K_SCHEDULED, due, id)
    return 0
  end
  if p ~= 0 then
    redis.call('ZADD', K_PRIO, priority_score(p, false), id)
  elseif ready_ids then
    ready_ids[#ready_ids + 1] = id
  else
    redis.call('LPUSH', K_READY, id)
  end
  return 1
end

--[[ Declared side effects, read from ARGV at index i: a count, then per effect an operation, the index n of
its key (KEYS[KEY_BASE + n]) and its arguments:
  set k value ttl_ms(0: none) nx(1/0) | del k | incrby k n | hset k field value | expire k ttl_ms
  xadd k maxlen npairs field value ...  (MAXLEN ~)
  decr_enqueue k id envelope priority    (DECR k; at 0, enqueue that job into this store now)
Applies them when apply is true, else only skips them. Returns the index after them and the jobs made pending. ]]
local function effects(i, apply, now)
  local count = tonumber(ARGV[i])
  i = i + 1
  local woken = 0
  for _ = 1, count do
    local op = ARGV[i]
    local key = KEYS[KEY_BASE + tonumber(ARGV[i + 1])]
    local size
    if op == 'set' then
      size = 5
      if apply then
        local args = { key, ARGV[i + 2] }
        if tonumber(ARGV[i + 3]) > 0 then args[#args + 1] = 'PX'; args[#args + 1] = ARGV[i + 3] end
        if ARGV[i + 4] == '1' then args[#args + 1] = 'NX' end
        redis.call('SET', unpack(args))
      end
    elseif op == 'del' then
      size = 2
      if apply then redis.call('DEL', key) end
    elseif op == 'incrby' then
      size = 3
      if apply then redis.call('INCRBY', key, ARGV[i + 2]) end
    elseif op == 'hset' then
      size = 4
      if apply then redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3]) end
    elseif op == 'expire' then
      size = 3
      if apply then redis.call('PEXPIRE', key, ARGV[i + 2]) end
    elseif op == 'xadd' then
      local pairs_count = tonumber(ARGV[i + 3])
      size = 4 + 2 * pairs_count
      if apply then
        redis.call('XADD', key, 'MAXLEN', '~', ARGV[i + 2], '*', unpack(ARGV, i + 4, i + 3 + 2 * pairs_count))
      end
    elseif op == 'decr_enqueue' then
      size = 5
      if apply and redis.call('DECR', key) == 0 then
        if add_job(ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4]), nil, now, nil) == 1 then woken = woken + 1 end
      end
    else
      error('jobqueue: unknown effect ' .. tostring(op))
    end
    i = i + size
  end
  return i, woken
end

-- Drops the oldest entries of a retention set beyond keep_count or older than max_age_ms; bounded work per call.
local function trim(zset, keep_count, max_age_ms, now, limit)
  local removed = {}
  local excess = redis.call('ZCARD', zset) - keep_count
  if excess > 0 then
    removed = redis.call('ZRANGE', zset, 0, math.min(excess, limit) - 1)
  end
  if max_age_ms >= 0 and #removed < limit then
    local old = redis.call('ZRANGEBYSCORE', zset, '-inf', '(' .. (now - max_age_ms), 'LIMIT', #removed, limit - #removed)
    for _, id in ipairs(old) do removed[#removed + 1] = id end
  end
  if #removed > 0 then
    call_chunked('ZREM', zset, removed)
    forget(removed)
  end
  return #removed
end

local function end_lease(id)
  redis.call('ZREM', K_ACTIVE, id)
  redis.call('HDEL', K_LEASES, id)
end

local function dead_letter(id, error_json, now)
  redis.call('HSET', K_ERRORS, id, error_json)
  redis.call('ZADD', K_DEAD, now, id)
end

--[[ Flows: chains, batches and unique keys. A job's entry in 'flows' names its parent (a chain whose step it is,
or a batch it belongs to) and its unique key; job_finished, called by every script that ends a job for good
(settle, reap, cancel), releases the key and tells the parent, all in that same script. A spec is how a flow
stores a node it has not started: 'j\t<id>\t<priority>\t<envelope>' (a job), 'c\t<chain id>', 'b\t<batch id>'.
These functions use: jobs ready prio scheduled retry active completed cancelled skipped dead priorities seq wake
tombstones cancels flows uniques batches chains ended ]]

-- How long a finished flow's record is kept when its dispatcher did not say.
local FLOW_KEEP_MS = 7 * 24 * 3600 * 1000
local FLOW_FIELDS = { 'total', 'pending', 'failed', 'cancelled', 'status', 'allow', 'parent', 'keep', 'created',
                      'ended', 'on_success', 'on_failure', 'on_complete', 'steps', 'step', 'error', 'failed_step' }

local job_finished, start_spec, cancel_job, cancel_node

local function flow_hash(ref)
  if string.sub(ref, 1, 1) == 'b' then return K_BATCHES end
  return K_CHAINS
end

local function field(ref, name)
  return string.sub(ref, 2) .. ':' .. name
end

-- Removes the records of flows that ended long enough ago; a little at a time.
local function forget_flows(now)
  local old = redis.call('ZRANGEBYSCORE', K_ENDED, '-inf', now, 'LIMIT', 0, 10)
  for _, ref in ipairs(old) do
    local hash = flow_hash(ref)
    local n = tonumber(redis.call('HGET', hash, field(ref, 'steps')) or '0')
    local names = {}
    for _, name in ipairs(FLOW_FIELDS) do names[#names + 1] = field(ref, name) end
    for k = 1, n do
      names[#names + 1] = field(ref, 's:' .. k)
      names[#names + 1] = field(ref, 'job:' .. k)
      names[#names + 1] = field(ref, 'result:' .. k)
    end
    redis.call('HDEL', hash, unpack(names))
    redis.call('ZREM', K_ENDED, ref)
  end
end

local function end_flow(ref, status, now)
  local hash = flow_hash(ref)
  redis.call('HSET', hash, field(ref, 'status'), status, field(ref, 'ended'), now)
  local keep = tonumber(redis.call('HGET', hash, field(ref, 'keep')) or FLOW_KEEP_MS)
  redis.call('ZADD', K_ENDED, now + keep, ref)
  forget_flows(now)
end

-- A stored node that will never start (its chain or batch ended first): nested flows end cancelled.
local function drop_spec(spec, now)
  local kind = string.sub(spec, 1, 1)
  if kind == 'j' then return end
  local id = string.sub(spec, 3)
  local ref = kind .. id
  end_flow(ref, 'cancelled', now)
  local hash = flow_hash(ref)
  if kind == 'c' then
    for k = 1, tonumber(redis.call('HGET', hash, id .. ':steps') or '0') do
      local step = redis.call('HGET', hash, id .. ':s:' .. k)
      if step then redis.call('HDEL', hash, id .. ':s:' .. k); drop_spec(step, now) end
    end
  else
    local total = tonumber(redis.call('HGET', hash, id .. ':total') or '0')
    redis.call('HSET', hash, id .. ':pending', 0, id .. ':cancelled', total)
    for n = 1, total do
      local member = redis.call('HGET', hash, id .. ':m:' .. n)
      if member then redis.call('HDEL', hash, id .. ':m:' .. n); drop_spec(member, now) end
    end
  end
end

-- The steps a chain will not reach now that it ended.
local function drop_later_steps(cid, now)
  local from = tonumber(redis.call('HGET', K_CHAINS, cid .. ':step') or '0') + 1
  for k = from, tonumber(redis.call('HGET', K_CHAINS, cid .. ':steps') or '0') do
    local spec = redis.call('HGET', K_CHAINS, cid .. ':s:' .. k)
    if spec then redis.call('HDEL', K_CHAINS, cid .. ':s:' .. k); drop_spec(spec, now) end
  end
end

-- Tells a flow's parent, if any, how the flow ended: 'ok', 'dead' or 'cancelled'.
local function tell_parent(ref, how, value, now)
  local parent = redis.call('HGET', flow_hash(ref), field(ref, 'parent'))
  if parent and parent ~= '' then job_finished(nil, parent, how, value, now) end
end

local function start_chain_step(cid, k, now)
  local ref = 'c' .. cid
  local spec = redis.call('HGET', K_CHAINS, cid .. ':s:' .. k)
  redis.call('HSET', K_CHAINS, cid .. ':step', k)
  redis.call('HDEL', K_CHAINS, cid .. ':s:' .. k)
  start_spec(spec, ref, now, cid .. ':job:' .. k)
end

local function finish_batch(bid, status, now)
  local ref = 'b' .. bid
  end_flow(ref, status, now)
  if status == 'failed' then
    -- Without allowFailures the first dead member ends the batch: the members still waiting will not run.
    local total = tonumber(redis.call('HGET', K_BATCHES, bid .. ':total') or '0')
    for n = 1, total do
      local spec = redis.call('HGET', K_BATCHES, bid .. ':m:' .. n)
      if spec then
        redis.call('HDEL', K_BATCHES, bid .. ':m:' .. n)
        redis.call('HINCRBY', K_BATCHES, bid .. ':pending', -1)
        redis.call('HINCRBY', K_BATCHES, bid .. ':cancelled', 1)
        drop_spec(spec, now)
      else
        cancel_node(bid .. ':' .. n, now)
      end
    end
  end
  if status ~= 'cancelled' then
    for _, name in ipairs({ (status == 'succeeded') and 'on_success' or 'on_failure', 'on_complete' }) do
      local spec = redis.call('HGET', K_BATCHES, bid .. ':' .. name)
      if spec then start_spec(spec, '', now, nil) end
    end
  end
  tell_parent(ref, (status == 'succeeded') and 'ok' or ((status == 'failed') and 'dead' or 'cancelled'),
    (status == 'failed') and cjson.encode({ message = 'Batch ' .. bid .. ' failed', type = 'batch' }) or '', now)
end

-- count members of a batch ended the same way (completions are counted together, one call per batch).
local function member_finished(bid, how, now, count)
  local left = redis.call('HINCRBY', K_BATCHES, bid .. ':pending', -(count or 1))
  if how == 'ok' and left > 0 then return end
  if how == 'dead' then redis.call('HINCRBY', K_BATCHES, bid .. ':failed', 1) end
  if how == 'cancelled' then redis.call('HINCRBY', K_BATCHES, bid .. ':cancelled', 1) end
  if redis.call('HGET', K_BATCHES, bid .. ':status') ~= 'running' then return end
  if how == 'dead' and redis.call('HGET', K_BATCHES, bid .. ':allow') ~= '1' then
    finish_batch(bid, 'failed', now)
  elseif left <= 0 then
    local bad = tonumber(redis.call('HGET', K_BATCHES, bid .. ':failed') or '0')
      + tonumber(redis.call('HGET', K_BATCHES, bid .. ':cancelled') or '0')
    finish_batch(bid, (bad > 0) and 'failed' or 'succeeded', now)
  end
end

local function step_finished(cid, how, value, now)
  if redis.call('HGET', K_CHAINS, cid .. ':status') ~= 'running' then return end
  local k = tonumber(redis.call('HGET', K_CHAINS, cid .. ':step'))
  if how == 'ok' then
    if value ~= '' then redis.call('HSET', K_CHAINS, cid .. ':result:' .. k, value) end
    if k < tonumber(redis.call('HGET', K_CHAINS, cid .. ':steps')) then
      start_chain_step(cid, k + 1, now)
      return
    end
    end_flow('c' .. cid, 'completed', now)
  else
    redis.call('HSET', K_CHAINS, cid .. ':failed_step', k)
    if value ~= '' then redis.call('HSET', K_CHAINS, cid .. ':error', value) end
    end_flow('c' .. cid, (how == 'dead') and 'failed' or 'cancelled', now)
    drop_later_steps(cid, now)
  end
  tell_parent('c' .. cid, how, value, now)
end

--[[ A job (id) or a flow (ref) ended: how is 'ok' (completed or skipped; value: the result JSON or ''),
'dead' (value: the error JSON) or 'cancelled'. Releases a job's unique key and tells its parent. ]]
job_finished = function(id, ref, how, value, now)
  if id then
    local flow = redis.call('HGET', K_FLOWS, id)
    if not flow then return end
    redis.call('HDEL', K_FLOWS, id)
    local tab = string.find(flow, '\t', 1, true)
    local claim = string.sub(flow, tab + 1)
    if claim ~= '' and redis.call('HGET', K_UNIQUES, claim) == id then redis.call('HDEL', K_UNIQUES, claim) end
    ref = string.sub(flow, 1, tab - 1)
  end
  if ref == '' then return end
  if string.sub(ref, 1, 1) == 'b' then member_finished(string.sub(ref, 2), how, now)
  else step_finished(string.sub(ref, 2), how, value, now) end
end

--[[ job_finished for many completed jobs at once (the settle script's hot path): one HMGET and one HDEL of their
flow entries, and one count per batch. values: id -> result JSON. ]]
local function jobs_completed(ids, values, now)
  local flows = redis.call('HMGET', K_FLOWS, unpack(ids))
  local done, counts, batches = {}, {}, {}
  for j, flow in ipairs(flows) do
    if flow then
      local id = ids[j]
      done[#done + 1] = id
      local tab = string.find(flow, '\t', 1, true)
      local claim, ref = string.sub(flow, tab + 1), string.sub(flow, 1, tab - 1)
      if claim ~= '' and redis.call('HGET', K_UNIQUES, claim) == id then redis.call('HDEL', K_UNIQUES, claim) end
      if string.sub(ref, 1, 1) == 'b' then
        local bid = string.sub(ref, 2)
        if not counts[bid] then batches[#batches + 1] = bid; counts[bid] = 0 end
        counts[bid] = counts[bid] + 1
      elseif ref ~= '' then
        step_finished(string.sub(ref, 2), 'ok', values[id] or '', now)
      end
    end
  end
  if #done > 0 then redis.call('HDEL', K_FLOWS, unpack(done)) end
  for _, bid in ipairs(batches) do member_finished(bid, 'ok', now, counts[bid]) end
end

-- Starts a node a flow stored: enqueues a job now, or starts a chain's first step or a batch's members.
start_spec = function(spec, parent, now, job_field)
  local kind = string.sub(spec, 1, 1)
  local a = string.find(spec, '\t', 3, true)
  if job_field then redis.call('HSET', K_CHAINS, job_field, string.sub(spec, 3, (a or 0) - 1)) end
  if kind == 'j' then
    local b = string.find(spec, '\t', a + 1, true)
    local id = string.sub(spec, 3, a - 1)
    if add_job(id, string.sub(spec, b + 1), tonumber(string.sub(spec, a + 1, b - 1)), nil, now, nil) >= 0 then
      if parent ~= '' then redis.call('HSET', K_FLOWS, id, parent .. '\t') end
      wake(1)
    end
  elseif kind == 'c' then
    local cid = string.sub(spec, 3)
    redis.call('HSET', K_CHAINS, cid .. ':status', 'running')
    start_chain_step(cid, 1, now)
  else
    local bid = string.sub(spec, 3)
    redis.call('HSET', K_BATCHES, bid .. ':status', 'running')
    local total = tonumber(redis.call('HGET', K_BATCHES, bid .. ':total'))
    if total == 0 then finish_batch(bid, 'succeeded', now) return end
    for n = 1, total do
      local member = redis.call('HGET', K_BATCHES, bid .. ':m:' .. n)
      redis.call('HDEL', K_BATCHES, bid .. ':m:' .. n)
      start_spec(member, 'b' .. bid, now, nil)
    end
  end
end

--[[ Cancels a job in constant time: a waiting job at once (one still in a list gets a tombstone and is dropped
when popped), a running job at its worker's next heartbeat. Returns 'cancelled', 'requested', 'unknown', or
the state that cannot be cancelled ('completed', 'cancelled', 'skipped', 'dead'). ]]
cancel_job = function(id, now)
  if redis.call('HEXISTS', K_JOBS, id) == 0 then return 'unknown' end
  if redis.call('ZSCORE', K_ACTIVE, id) then
    redis.call('HSET', K_CANCELS, id, '1')
    return 'requested'
  end
  for _, entry in ipairs({ { 'completed', K_COMPLETED }, { 'cancelled', K_CANCELLED }, { 'skipped', K_SKIPPED },
                           { 'dead', K_DEAD } }) do
    if redis.call('ZSCORE', entry[2], id) then return entry[1] end
  end
  local removed = redis.call('ZREM', K_SCHEDULED, id) + redis.call('ZREM', K_RETRY, id) + redis.call('ZREM', K_PRIO, id)
  if removed == 0 then
    -- Pending in ready or stalled: removing it there would take time proportional to the list.
    redis.call('HINCRBY', K_TOMBSTONES, id, 1)
  end
  redis.call('ZADD', K_CANCELLED, now, id)
  job_finished(id, nil, 'cancelled', '', now)
  return 'cancelled'
end

-- Cancels a batch's member or a chain's step by id: a chain, a batch or a job. Returns what cancel_job does.
cancel_node = function(id, now)
  for _, ref in ipairs({ 'c' .. id, 'b' .. id }) do
    local status = redis.call('HGET', flow_hash(ref), field(ref, 'status'))
    if status then
      if status ~= 'running' and status ~= 'waiting' then return status end
      end_flow(ref, 'cancelled', now)
      if string.sub(ref, 1, 1) == 'c' then
        drop_later_steps(id, now)
        local job = redis.call('HGET', K_CHAINS, id .. ':job:' .. redis.call('HGET', K_CHAINS, id .. ':step'))
        if job then cancel_node(job, now) end
      else
        local total = tonumber(redis.call('HGET', K_BATCHES, id .. ':total') or '0')
        for n = 1, total do
          local member = redis.call('HGET', K_BATCHES, id .. ':m:' .. n)
          if member then
            redis.call('HDEL', K_BATCHES, id .. ':m:' .. n)
            redis.call('HINCRBY', K_BATCHES, id .. ':pending', -1)
            redis.call('HINCRBY', K_BATCHES, id .. ':cancelled', 1)
            drop_spec(member, now)
          else
            cancel_node(id .. ':' .. n, now)
          end
        end
      end
      tell_parent(ref, 'cancelled', '', now)
      return 'cancelled'
    end
  end
  return cancel_job(id, now)
end
