--[[ Shared prelude, placed by RedisScript after each script's header.
Every script receives all keys of one queue in KEYS, in QueueKeys' order, so that every key a script
touches is declared (Redis Cluster, DragonflyDB) and all share the queue's hash tag:
 1 jobs        hash   id -> job envelope (JSON), written once at enqueue
 2 ready       list   ids of pending jobs of priority 0 (LPUSH in, RPOP out: FIFO)
 3 prio        zset   ids of pending jobs of other priorities, score -priority * 2^32 + sequence
 4 scheduled   zset   ids of delayed jobs, score = due time (ms, Redis clock)
 5 retry       zset   ids of failed jobs waiting for their back-off, score = due time
 6 active      zset   ids of leased jobs, score = lease deadline
 7 leases      hash   id -> fencing token of the lease held on an active job
 8 attempts    hash   id -> number of times the job was started
 9 failures    hash   id -> number of failed attempts
10 stalls      hash   id -> number of leases that expired (worker died or hung)
11 priorities  hash   id -> priority, only for jobs whose priority is not 0
12 errors      hash   id -> last error (JSON)
13 results     hash   id -> result of a completed job (JSON)
14 progress    hash   id -> progress reported by the handler
15 completed   zset   ids of completed jobs kept for a while, score = finish time
16 cancelled   zset   ids of cancelled jobs kept for a while, score = cancel time
17 dead        zset   ids of dead-lettered jobs, score = time of death
18 seq         string counter that keeps FIFO order inside a priority
19 token       string counter of lease grants (fencing tokens)
20 wake        list   wake-up signals for idle workers blocked on BLPOP ]]
local K_JOBS, K_READY, K_PRIO, K_SCHEDULED, K_RETRY, K_ACTIVE, K_LEASES, K_ATTEMPTS, K_FAILURES, K_STALLS,
      K_PRIORITIES, K_ERRORS, K_RESULTS, K_PROGRESS, K_COMPLETED, K_CANCELLED, K_DEAD, K_SEQ, K_TOKEN, K_WAKE = unpack(KEYS)

-- Every hash that holds something about a job, for forgetting it entirely.
local JOB_HASHES = { K_JOBS, K_LEASES, K_ATTEMPTS, K_FAILURES, K_STALLS, K_PRIORITIES, K_ERRORS, K_RESULTS, K_PROGRESS }

-- Priority scale: |priority| <= 2^20 and the sequence < 2^32 keep scores exact in a double.
local SCALE = 4294967296
-- More wake-up signals than idle workers only cost a spurious look at the queue.
local MAX_WAKE_SIGNALS = 32
local CHUNK = 1000

-- Formats a score exactly: Lua would print numbers above 14 digits in exponent form.
local function priority_score(p, sequence)
  return string.format('%.0f', -p * SCALE + sequence)
end

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

local function forget(ids)
  if #ids == 0 then return end
  for _, hash in ipairs(JOB_HASHES) do call_chunked('HDEL', hash, ids) end
end

-- Makes a job pending again at its priority; at the front of its priority when it was already due before.
local function make_ready(id, front)
  local p = tonumber(redis.call('HGET', K_PRIORITIES, id) or '0')
  if p == 0 then
    if front then redis.call('RPUSH', K_READY, id) else redis.call('LPUSH', K_READY, id) end
  else
    local s = 0
    if not front then s = redis.call('INCR', K_SEQ) % SCALE end
    redis.call('ZADD', K_PRIO, priority_score(p, s), id)
  end
end

local function wake(count)
  local add = math.min(count, MAX_WAKE_SIGNALS - redis.call('LLEN', K_WAKE))
  for _ = 1, add do redis.call('LPUSH', K_WAKE, '1') end
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

local function lease_held(id, token)
  return redis.call('HGET', K_LEASES, id) == token
end

local function end_lease(id)
  redis.call('ZREM', K_ACTIVE, id)
  redis.call('HDEL', K_LEASES, id)
end

local function dead_letter(id, error_json, now)
  redis.call('HSET', K_ERRORS, id, error_json)
  redis.call('ZADD', K_DEAD, now, id)
end
