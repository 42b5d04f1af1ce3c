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
                    could not be written in time), its worker says so later and the stall is taken back ]]

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
