--[[ Shared functions, placed by RedisScript after each script's header and the locals it generates for the
keys the header declares (K_JOBS for 'jobs', ...; KEY_BASE is the number of declared keys, and keys passed
after them, such as idempotency and effect keys, are KEYS[KEY_BASE + n]). A function here may only be called
by a script that declares every key the function uses; StoreScriptTests checks that. The keys of one store,
all under one hash tag (see QueueKeys):
 jobs        hash   id -> job envelope (type, creation time unless the id carries it, options, payload), written once
                    at enqueue
 ready       list   ids of pending jobs of priority 0 (LPUSH in, RPOP out: FIFO; RPUSH puts one at the front)
 prio        zset   ids of pending jobs of other priorities, score -priority * 2^42 + position
 scheduled   zset   ids of delayed or handed-back jobs, score = due time (ms, Redis clock)
 retry       zset   ids of failed jobs waiting for their back-off, score = due time
 active      zset   ids of leased jobs, score = lease deadline
 leases      hash   id -> fencing token of the lease held on an active job; plus, while any lease is held, the
                    field '' (never a job id) whose long value keeps the hash out of listpack encoding (see pin_leases)
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
 relay       hash   what this store owes another queue's store, written in the script that decides it and deleted
                    (compare-and-delete) once applied there (FlowRelay): '<member id>' -> '<how>\t<home queue>\31
                    <flow ref>[\31<life>]\t<value>' for a job of a flow whose record lives on another queue (its
                    home; how: 'ok', 'dead', 'cancelled', or 'revive' for a new life, see rejoin_remote),
                    'o:<job id>' -> '<flow ref>\t<queue>\t<priority>\t<delay ms>\t<envelope>' for a flow's job to
                    enqueue on another queue (stored in a flow as the spec 'o\t<id>\t<queue>\t<priority>\t<delay
                    ms>\t<envelope>'), and 'x:<job id>' -> '<queue>\t<envelope or nothing>' for such a job to cancel
                    there (cancel_remote)
 cancelling  hash   batch id -> number of its next member to cancel, while a batch that ended early still has
                    members to cancel (cancel_members, a chunk per call)
 paused      string present while the queue is paused: leases hand out nothing, enqueues go on
 events      stream every lifecycle step of the queue's jobs (see emit; an entry of enqueue, lease or settle holds
                    the events of all the jobs of its call, see batch_events), bounded by length in events (see
                    count_events) and age; a job's events are found by scanning it from the job's creation (RedisEventStore)
 event_count string how many events 'events' holds (see count_events)
 history     hash   written by earlier versions only (id -> the ids of the job's events): forget still deletes its
                    fields while it is not empty, so that a store written before does not keep them for ever
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

--[[ A hash of fewer than 128 short fields is a listpack, searched linearly: with 50 leases held, finding, adding
and removing leases was a fifth of Redis's CPU per job. A value longer than hash-max-listpack-value (64 by
default) turns the hash into a hashtable for good; the last lease to go takes it away, so nothing is left behind. ]]
local LEASES_PIN = string.rep('-', 65)

local function pin_leases()
  redis.call('HSETNX', K_LEASES, '', LEASES_PIN)
end

local function unpin_leases()
  if redis.call('HLEN', K_LEASES) == 1 and redis.call('HEXISTS', K_LEASES, '') == 1 then redis.call('DEL', K_LEASES) end
end

--[[ The same for 'active': a zset of fewer than 128 short members is a listpack, and adding each lease's deadline
searched it linearly (a fifth of a drained job's Redis work). A blank member (never a job id) longer than
zset-max-listpack-value, scored +inf so no deadline passes it, keeps it a skiplist while leases are held; readers
that count or list 'active' leave it out (stats.lua, monitor/browse.lua). ]]
local ACTIVE_PIN = string.rep(' ', 65)

local function pin_active()
  redis.call('ZADD', K_ACTIVE, 'NX', '+inf', ACTIVE_PIN)
end

local function unpin_active()
  if redis.call('ZCARD', K_ACTIVE) == 1 and redis.call('ZSCORE', K_ACTIVE, ACTIVE_PIN) then redis.call('DEL', K_ACTIVE) end
end

-- Deletes everything stored about jobs.
local function forget(ids)
  if #ids == 0 then return end
  call_chunked('HDEL', K_JOBS, ids)
  -- Most of these hashes stay empty on the happy path: a deletion of every id from each would cost the most.
  for _, hash in ipairs({ K_LEASES, K_ATTEMPTS, K_FAILURES, K_STALLS, K_PRIORITIES, K_ERRORS, K_RESULTS, K_PROGRESS,
                          K_REAPED, K_HISTORY }) do
    if redis.call('HLEN', hash) > 0 then call_chunked('HDEL', hash, ids) end
  end
  unpin_leases()
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

--[[ Events (dev.jobqueue.core.event). A script that writes them takes, as its last ARGV, the store's event
settings: 'events<US>mode<US>max length<US>max age ms<US>worker id' (US: byte 31), mode 'a' all, 'l' all but
progress, 'n' none. Without it (or with mode 'n') emit returns at once: no event costs nothing. ]]
local EVENTS_MARK = 'events\31'
local event_mode, event_max_length, event_max_age, event_worker

local function event_settings()
  local last = ARGV[#ARGV]
  event_mode = 'n'
  if last and string.sub(last, 1, #EVENTS_MARK) == EVENTS_MARK then
    local mode, length, age, worker = string.match(last, '^events\31([aln])\31(%d+)\31(-?%d+)\31(.*)$')
    if not mode then error('jobqueue: malformed event settings') end
    event_mode, event_max_length, event_max_age, event_worker = mode, length, tonumber(age), worker
  end
end

-- The index of a script's last ARGV before the event settings, for scripts that take a variable number.
local function last_arg()
  local last = ARGV[#ARGV]
  if last and string.sub(last, 1, #EVENTS_MARK) == EVENTS_MARK then return #ARGV - 1 end
  return #ARGV
end

-- The type an envelope starts with: 'type TAB created TAB options LF payload', or 'type LF payload' (JobEnvelope).
local function envelope_type(envelope)
  return string.match(envelope, '^[^\t\n]*')
end

-- A stored job's type, from its envelope; '' when the job is not stored.
local function job_type(id)
  local envelope = redis.call('HGET', K_JOBS, id)
  return envelope and envelope_type(envelope) or ''
end

--[[ The stream keeps about event_max_length events, counted in 'event_count'; an entry of several events says how
many in its field 'n'. Trimming by entries (MAXLEN) could not count them: a big entry after many small ones cut the
stream to a hundredth of its length. Entries are read a few at a time (reading more than the ones dropped cost more
than the events themselves), and each call reads a bounded number, so none blocks Redis long: the next call goes on
while the count is over. ]]
local EVENT_PAGE = 10

-- Events an entry holds ('jobs' entries say how many in 'n').
local function entry_events(fields)
  local n, grouped = nil, false
  for k = 1, #fields, 2 do
    if fields[k] == 'n' then n = fields[k + 1] elseif fields[k] == 'jobs' then grouped = true end
  end
  return grouped and tonumber(n) or 1
end

-- Drops the oldest entries until `excess` events are dropped and the oldest left is not older than min_ms (nil: no
-- age limit; at most 10,000 events more for it), reading at most `pages` pages of them, and takes what it dropped off
-- the count. They go in one exact XTRIM MINID (whole nodes freed at once; XDEL of their ids cost 3 us an entry).
local function drop_events(excess, min_ms, pages)
  -- The newest entry stays unless it is too old: dropping one of more events than the stream keeps (a lease of
  -- 1,000 jobs) left none of them.
  local newest = redis.call('XREVRANGE', K_EVENTS, '+', '-', 'COUNT', 1)[1]
  newest = newest and newest[1]
  local dropped, from, keep_from = 0, '-', nil
  for _ = 1, pages do
    local page = redis.call('XRANGE', K_EVENTS, from, '+', 'COUNT', EVENT_PAGE)
    if #page == 0 then
      -- Every entry goes (MAXLEN 0 keeps the stream's consumer groups, DEL would not).
      redis.call('XTRIM', K_EVENTS, 'MAXLEN', 0)
      redis.call('DEL', K_EVENT_COUNT)
      return
    end
    for _, entry in ipairs(page) do
      if (dropped >= excess or entry[1] == newest) and (not min_ms or dropped >= excess + 10000
          or tonumber(string.match(entry[1], '^%d+')) >= min_ms) then
        keep_from = entry[1]
        break
      end
      dropped = dropped + entry_events(entry[2])
    end
    if keep_from then break end
    from = '(' .. page[#page][1]
  end
  if not keep_from then
    -- The pages ran out: the entry after the last one read stays.
    local ms, seq = string.match(from, '^%((%d+)%-(%d+)$')
    if not ms then return end
    keep_from = ms .. '-' .. string.format('%.0f', tonumber(seq) + 1)
  end
  redis.call('XTRIM', K_EVENTS, 'MINID', keep_from)
  if dropped > 0 then redis.call('DECRBY', K_EVENT_COUNT, dropped) end
end

-- Counts n events just added, and drops the oldest once the stream holds a tenth (at most 1,000) more than it keeps.
-- A count that plainly disagrees with the stream is set again: one over a stream that holds only the entry just added
-- (deleted by hand or emptied; dropping for it would drop the newest events), none over a stream written before
-- events were counted (it would keep that many more for ever; its entries count one each, as drop_events takes them
-- off: entries of several did not say how many then).
local function count_events(n)
  local total = redis.call('INCRBY', K_EVENT_COUNT, n)
  local entries = redis.call('XLEN', K_EVENTS)
  if entries == 1 and total ~= n then
    total = n
    redis.call('SET', K_EVENT_COUNT, n)
  elseif entries > 1 and total == n then
    total = redis.call('INCRBY', K_EVENT_COUNT, entries - 1)
  end
  local keep = tonumber(event_max_length)
  if total > keep + math.min(1000, math.ceil(keep / 10)) then drop_events(total - keep, nil, 100) end
end

-- Appends one event of job id, of type job_kind, to the stream.
local function append_event(kind, id, job_kind, ...)
  local entry = { 'event', kind, 'job', id, 'type', job_kind }
  if event_worker ~= '' then entry[#entry + 1] = 'worker'; entry[#entry + 1] = event_worker end
  local extra = { ... }
  for k = 1, select('#', ...), 2 do
    local value = extra[k + 1]
    if value ~= nil and value ~= '' then entry[#entry + 1] = extra[k]; entry[#entry + 1] = value end
  end
  redis.call('XADD', K_EVENTS, '*', unpack(entry))
  count_events(1)
end

--[[ The scripts that write the events of many jobs (enqueue, lease, settle) call batch_events() first and
flush_events() once their events are all told: an entry per event was more than half of Redis's work per job.
Their events then go into one stream entry, whose field 'jobs' holds records separated by RS (byte 30), beside
'worker'. A record tells one kind of event of one or more jobs: 'kind US ids US types' then 'US field US value'
pairs, the ids joined by GS (byte 29), and types either the one type of all of them or one per id joined by GS
(these bytes never occur in ids, types or JSON). Other scripts write an entry per event (fields event, job, type,
worker, ...). Readers expand both into one event per job (dev.jobqueue.core.event). Every Lua operation counts here
(a function call, a concatenation or a table insert costs hundreds of instructions, formatting a number thousands):
the hot events (a lease's first starts, a settle's plain completions, an enqueue's jobs due now) are one record per
call, built with table.concat over tables the scripts have anyway. ]]
local RS, US, GS = '\30', '\31', '\29'
-- The records of this call and the events they hold; id -> type of the jobs whose type this call knows; the jobs
-- created now by this call and their types (one record, see flush_events).
local batch_records, batch_size, batch_types, created_ids, created_types

local function batch_events()
  if not event_mode then event_settings() end
  if event_mode ~= 'n' then batch_records, batch_size, batch_types, created_ids, created_types = {}, 0, {}, {}, {} end
end

-- Records one event of job id; job_kind: its type, or nil to look it up; extra: 'US field US value'... or ''.
local function batch_event(kind, id, job_kind, extra)
  job_kind = job_kind or batch_types[id]
  if not job_kind then
    job_kind = job_type(id)
    batch_types[id] = job_kind
  end
  batch_size = batch_size + 1
  batch_records[#batch_records + 1] = kind .. US .. id .. US .. job_kind .. extra
end

-- Records one event of each of ids (types: theirs, in order) with the same fields (extra), in one record.
local function batch_group(kind, ids, types, extra)
  if #ids == 0 then return end
  local shared = types[1]
  for k = 2, #types do
    if types[k] ~= shared then shared = table.concat(types, GS) break end
  end
  batch_size = batch_size + #ids
  batch_records[#batch_records + 1] = kind .. US .. table.concat(ids, GS) .. US .. shared .. extra
end

-- The event of a leased job that is not a plain first attempt (see lease.lua).
local function event_started(id, attempt, suspect, job_kind)
  batch_event('started', id, job_kind, US .. 'attempt' .. US .. tostring(attempt)
    .. (suspect and (US .. 'suspect' .. US .. '1') or ''))
end

local function flush_events()
  if not batch_records then return end
  if #created_ids > 0 then
    -- First in the entry: whatever else this call tells of a job it created happened after the creation.
    batch_group('created', created_ids, created_types, '')
    table.insert(batch_records, 1, table.remove(batch_records))
  end
  if #batch_records == 0 then return end
  local entry = { 'jobs', table.concat(batch_records, RS) }
  if event_worker ~= '' then entry[3] = 'worker'; entry[4] = event_worker end
  if batch_size > 1 then entry[#entry + 1] = 'n'; entry[#entry + 1] = tostring(batch_size) end
  redis.call('XADD', K_EVENTS, '*', unpack(entry))
  count_events(batch_size)
  batch_records, batch_size, batch_types, created_ids, created_types = {}, 0, {}, {}, {}
end

--[[ Appends one event about job id, of type job_kind (nil: read from its envelope), to the queue's stream, in the
script that makes the change it describes. The stream id is Redis's clock. Further arguments are field, value
pairs; a nil or '' value leaves its field out. ]]
local function emit_typed(kind, id, job_kind, ...)
  if not event_mode then event_settings() end
  if event_mode == 'n' or (kind == 'progress' and event_mode ~= 'a') then return end
  if batch_records then
    local extra, values = '', { ... }
    for k = 1, select('#', ...), 2 do
      local value = values[k + 1]
      if value ~= nil and value ~= '' then extra = extra .. US .. values[k] .. US .. value end
    end
    return batch_event(kind, id, job_kind, extra)
  end
  append_event(kind, id, job_kind or job_type(id), ...)
end

local function emit(kind, id, ...)
  return emit_typed(kind, id, nil, ...)
end

local attempts_empty

-- Attempts of job id that ended before the one being settled: 'attempts' is empty while every job succeeds the first
-- time, and a job's own count changes only after its events.
local function ended_attempts(id)
  if attempts_empty == nil then attempts_empty = redis.call('HLEN', K_ATTEMPTS) == 0 end
  return attempts_empty and 0 or tonumber(redis.call('HGET', K_ATTEMPTS, id) or '0')
end

-- The attempt a settled lease ran (attempts ended before it, plus it) and how long it ran: a lease's fencing
-- token is its grant time in ms * 1000 plus a small count.
local function attempt_of(id, token, now)
  local ran = token and math.max(0, now - math.floor(tonumber(token) / 1000)) or nil
  return ended_attempts(id) + 1, ran
end

-- How long the attempts of one lease (token) ran, as text: the jobs one lease granted are settled together.
local ran_texts = {}

local function ran_text(token, now)
  local text = ran_texts[token]
  if not text then
    text = tostring(math.max(0, now - math.floor(tonumber(token) / 1000)))
    ran_texts[token] = text
  end
  return text
end

-- An error without its stack trace: the stream keeps many events, the job keeps its last error whole.
local function short_error(err)
  if err == nil or err == '' then return err end
  local ok, decoded = pcall(cjson.decode, err)
  if not ok or type(decoded) ~= 'table' then return err end
  decoded.stackTrace = nil
  return cjson.encode(decoded)
end

-- The events of one settled attempt (see settle.lua's outcomes), written before the state changes it describes.
local function emit_settled(id, outcome, value, err, token, max_stalls, now)
  if not event_mode then event_settings() end
  if event_mode == 'n' then return end
  if outcome == 'c' and batch_records then
    local attempt = ended_attempts(id) + 1
    return batch_event('completed', id, nil, US .. 'attempt' .. US .. ((attempt == 1) and '1' or tostring(attempt)) .. US
      .. 'ms' .. US .. ran_text(token, now))
  end
  local attempt, ran = attempt_of(id, token, now)
  err = short_error(err)
  if outcome == 'c' then
    emit('completed', id, 'attempt', attempt, 'ms', ran)
  elseif outcome == 'r' then
    emit('failed', id, 'attempt', attempt, 'ms', ran, 'error', err)
    emit('retried', id, 'attempt', attempt, 'due', now + tonumber(value))
  elseif outcome == 'd' then
    emit('failed', id, 'attempt', attempt, 'ms', ran, 'error', err)
    emit('dead', id, 'attempt', attempt, 'error', err)
  elseif outcome == 'h' then
    emit('handed_back', id, 'attempt', attempt, 'ms', ran, 'due', now + tonumber(value))
  elseif outcome == 'x' then
    emit('cancelled', id, 'attempt', attempt, 'ms', ran)
  elseif outcome == 's' then
    emit('skipped', id, 'attempt', attempt, 'ms', ran, 'reason', value)
  elseif outcome == 'k' then
    emit('stalled', id, 'attempt', attempt, 'ms', ran, 'reason', 'crashed', 'error', err)
    if tonumber(redis.call('HGET', K_STALLS, id) or '0') + 1 > max_stalls then
      emit('dead', id, 'attempt', attempt, 'error', err)
    end
  elseif outcome == 'l' then
    emit('finished_late', id, 'attempt', attempt - 1)
  end
end

-- Drops events older than the configured age (a bounded number per call; the janitor calls again), and any beyond
-- the length the stream keeps.
local function trim_events(now)
  if not event_mode then event_settings() end
  if not event_max_length then return end
  local count = redis.call('GET', K_EVENT_COUNT)
  if not count then
    -- Written before events were counted (see count_events), or empty.
    count = redis.call('XLEN', K_EVENTS)
    if count > 0 then redis.call('SET', K_EVENT_COUNT, count) end
  end
  local over = tonumber(count) - tonumber(event_max_length)
  local min_ms = (event_max_age and event_max_age >= 0) and (now - event_max_age) or nil
  if over > 0 or min_ms then drop_events(math.max(0, over), min_ms, 100) end
end

-- Stores a new job unless its id exists. Returns 1 when it is pending now (ids of priority 0 are appended to
-- ready_ids, for one LPUSH, when given), 0 when delayed, -1 when the id exists.
local function add_job(id, envelope, p, due, now, ready_ids)
  if redis.call('HSETNX', K_JOBS, id, envelope) == 0 then return -1 end
  if p ~= 0 then redis.call('HSET', K_PRIORITIES, id, p) end
  if not event_mode then event_settings() end
  if event_mode ~= 'n' then
    -- Its type is at hand in the envelope. The jobs of a batched call that are due now share one record.
    local due_text = (due and due > now) and string.format('%.0f', due) or nil
    if batch_records and not due_text then
      local k = #created_ids + 1
      created_ids[k], created_types[k] = id, envelope_type(envelope)
    elseif batch_records then
      batch_event('created', id, envelope_type(envelope), US .. 'due' .. US .. due_text)
    else
      append_event('created', id, envelope_type(envelope), 'due', due_text)
    end
  end
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
  if ARGV[i] == '0' then return i + 1, 0 end
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
  unpin_active()
  redis.call('HDEL', K_LEASES, id)
  unpin_leases()
end

local function dead_letter(id, error_json, now)
  redis.call('HSET', K_ERRORS, id, error_json)
  redis.call('ZADD', K_DEAD, now, id)
end

--[[ Flows: chains, batches and unique keys. A job's entry in 'flows' names its parent (a chain whose step it is,
or a batch it belongs to) and its unique key; job_finished, called by every script that ends a job for good
(settle, reap, cancel), releases the key and tells the parent, all in that same script. A spec is how a flow
stores a node it has not started: 'j\t<id>\t<priority>\t<envelope>' (a job), 'c\t<chain id>', 'b\t<batch id>',
'o\t<id>\t<queue>\t<priority>\t<delay ms>\t<envelope>' (a job on another queue, enqueued through 'relay'); a job on
another queue names as its parent 'r<home queue>\31<flow ref>'.
These functions use: jobs ready prio scheduled retry active completed cancelled skipped dead priorities seq wake
tombstones cancels flows uniques batches chains ended cancelling relay ]]

-- How long a finished flow's record is kept when its dispatcher did not say.
local FLOW_KEEP_MS = 7 * 24 * 3600 * 1000
local FLOW_FIELDS = { 'total', 'pending', 'failed', 'cancelled', 'status', 'allow', 'parent', 'keep', 'created',
                      'ended', 'on_success', 'on_failure', 'on_complete', 'steps', 'step', 'error', 'failed_step',
                      'remote' }

local job_finished, start_spec, cancel_job, cancel_node, drop_spec
-- Members cancelled per script call when a batch ends early: a 50,000-member batch must not block Redis at once.
local CANCEL_CHUNK = 1000

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
    local names, unstarted = {}, {}
    for _, name in ipairs(FLOW_FIELDS) do names[#names + 1] = field(ref, name) end
    for k = 1, n do
      names[#names + 1] = field(ref, 's:' .. k)
      names[#names + 1] = field(ref, 'job:' .. k)
      names[#names + 1] = field(ref, 'result:' .. k)
      unstarted[#unstarted + 1] = redis.call('HGET', hash, field(ref, 's:' .. k))
    end
    -- The marks of outcomes relayed from other queues (flow_relay.lua) and the queues of its jobs there (q:, see
    -- start_spec), kept as long as the record.
    if redis.call('HGET', hash, field(ref, 'remote')) then
      local id, marks = string.sub(ref, 2), {}
      for k = 1, math.max(n, tonumber(redis.call('HGET', hash, field(ref, 'total')) or '0')) do
        marks[#marks + 1] = field(ref, 'r:' .. id .. ':' .. k)
        marks[#marks + 1] = field(ref, 'q:' .. id .. ':' .. k)
      end
      call_chunked('HDEL', hash, marks)
    end
    redis.call('HDEL', hash, unpack(names))
    redis.call('ZREM', K_ENDED, ref)
    -- A failed chain keeps the steps it did not reach (a revive may resume it) until now.
    for _, spec in ipairs(unstarted) do drop_spec(spec, now) end
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
drop_spec = function(spec, now)
  local kind = string.sub(spec, 1, 1)
  if kind == 'j' or kind == 'o' then return end
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

--[[ Cancels the members of a batch that ended early (failed or cancelled), CANCEL_CHUNK per call: waiting ones at
once, running ones asked to stop. Where more are left, 'cancelling' keeps the next member's number and every
lease call goes on (cancelling_batches); meanwhile a member popped before its turn is cancelled there instead of
starting, since its batch no longer runs. ]]
local function cancel_members(bid, now)
  local total = tonumber(redis.call('HGET', K_BATCHES, bid .. ':total') or '0')
  local from = tonumber(redis.call('HGET', K_CANCELLING, bid) or '1')
  local to = math.min(total, from + CANCEL_CHUNK - 1)
  for n = from, to do
    local spec = redis.call('HGET', K_BATCHES, bid .. ':m:' .. n)
    if spec then
      redis.call('HDEL', K_BATCHES, bid .. ':m:' .. n)
      redis.call('HINCRBY', K_BATCHES, bid .. ':pending', -1)
      redis.call('HINCRBY', K_BATCHES, bid .. ':cancelled', 1)
      drop_spec(spec, now)
    else
      cancel_node(bid .. ':' .. n, now, 'b' .. bid)
    end
  end
  if to < total then
    redis.call('HSET', K_CANCELLING, bid, to + 1)
    -- An idle worker's lease call goes on with the next chunk, and its own call wakes the next one.
    wake(1)
  else
    redis.call('HDEL', K_CANCELLING, bid)
  end
end

local function finish_batch(bid, status, now)
  local ref = 'b' .. bid
  end_flow(ref, status, now)
  -- Without allowFailures the first dead member ends the batch: the members still waiting will not run.
  if status == 'failed' then cancel_members(bid, now) end
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
    -- A failed chain keeps its later steps: reviving the dead step resumes it (rejoin).
    if how ~= 'dead' then drop_later_steps(cid, now) end
  end
  tell_parent('c' .. cid, how, value, now)
end

--[[ A job of a flow whose record lives on another queue ended (ref: 'r<home queue>\31<flow ref>'): its outcome
waits in this store's relay until FlowRelay applies it to the home store, exactly once. ]]
local function relay_outcome(id, how, ref, value)
  redis.call('HSET', K_RELAY, id, how .. '\t' .. string.sub(ref, 2) .. '\t' .. value)
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
  if string.sub(ref, 1, 1) == 'r' then relay_outcome(id, how, ref, value) return end
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
      elseif string.sub(ref, 1, 1) == 'r' then
        relay_outcome(id, 'ok', ref, values[id] or '')
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
  elseif kind == 'o' then
    -- A job for another queue: FlowRelay enqueues it there under this id, so once. Its flow keeps the queue's name,
    -- to cancel it there if the flow ends first (cancel_remote).
    local id = string.sub(spec, 3, a - 1)
    redis.call('HSET', K_RELAY, 'o:' .. id, parent .. '\t' .. string.sub(spec, a + 1))
    if parent ~= '' then
      redis.call('HSET', flow_hash(parent), field(parent, 'q:' .. id),
        string.sub(spec, a + 1, string.find(spec, '\t', a + 1, true) - 1))
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

--[[ A flow that ended early lets go of a job it enqueued on another queue (parent: the flow's ref; the queue is
its 'q:<id>'). Unless that job's outcome came back already, it counts as cancelled now, any later message about it
is refused (its relay mark becomes 'x', see flow_relay.lua), and 'x:<id>' in the relay asks its queue to cancel
it (flow_dispatch.lua's 'cancel'). An outbox entry not carried yet goes along: that queue then stores the job as
cancelled, so a relay run still holding the outbox entry cannot create it. Returns false for any other job. ]]
local function cancel_remote(id, parent, now)
  local hash = flow_hash(parent)
  local queue = redis.call('HGET', hash, field(parent, 'q:' .. id))
  if not queue then return false end
  local seen = redis.call('HGET', hash, field(parent, 'r:' .. id))
  if seen == 'x' or tonumber(seen or '0') % 2 == 1 then return true end
  redis.call('HSET', hash, field(parent, 'r:' .. id), 'x')
  local envelope = ''
  local outbox = redis.call('HGET', K_RELAY, 'o:' .. id)
  if outbox then
    envelope = string.match(outbox, '^[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t(.*)$')
    redis.call('HDEL', K_RELAY, 'o:' .. id)
  end
  redis.call('HSET', K_RELAY, 'x:' .. id, queue .. '\t' .. envelope)
  job_finished(nil, parent, 'cancelled', '', now)
  return true
end

--[[ Cancels a job in constant time: a waiting job at once (one still in a list gets a tombstone and is dropped
when popped), a running job at its worker's next heartbeat. Returns 'cancelled', 'requested', 'unknown', or
the state that cannot be cancelled ('completed', 'cancelled', 'skipped', 'dead'). ]]
cancel_job = function(id, now)
  if redis.call('HEXISTS', K_JOBS, id) == 0 then return 'unknown' end
  if redis.call('ZSCORE', K_ACTIVE, id) then
    redis.call('HSET', K_CANCELS, id, '1')
    emit('cancel_requested', id)
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
  emit('cancelled', id)
  redis.call('ZADD', K_CANCELLED, now, id)
  job_finished(id, nil, 'cancelled', '', now)
  return 'cancelled'
end

-- Cancels a batch's member or a chain's step by id (parent: that flow's ref): a chain, a batch, a job, or a job on
-- another queue. Returns what cancel_job does.
cancel_node = function(id, now, parent)
  for _, ref in ipairs({ 'c' .. id, 'b' .. id }) do
    local status = redis.call('HGET', flow_hash(ref), field(ref, 'status'))
    if status then
      if status ~= 'running' and status ~= 'waiting' then return status end
      end_flow(ref, 'cancelled', now)
      if string.sub(ref, 1, 1) == 'c' then
        drop_later_steps(id, now)
        local job = redis.call('HGET', K_CHAINS, id .. ':job:' .. redis.call('HGET', K_CHAINS, id .. ':step'))
        if job then cancel_node(job, now, ref) end
      else
        cancel_members(id, now)
      end
      tell_parent(ref, 'cancelled', '', now)
      return 'cancelled'
    end
  end
  if parent and cancel_remote(id, parent, now) then return 'cancelled' end
  return cancel_job(id, now)
end

--[[ Called by lease while 'cancelling' is not empty: cancels instead of leasing those among ids (just popped) whose
batch no longer runs, then the next chunk of one batch's members (in this order: a popped member is no longer
where the chunk would look for it). Returns the ids still to lease. ]]
local function cancelling_batches(ids, now)
  local flows = (#ids > 0) and redis.call('HMGET', K_FLOWS, unpack(ids)) or {}
  local live = {}
  for j, id in ipairs(ids) do
    local flow = flows[j]
    local tab = flow and string.find(flow, '\t', 1, true)
    if flow and string.sub(flow, 1, 1) == 'b'
        and redis.call('HGET', K_BATCHES, string.sub(flow, 2, tab - 1) .. ':status') ~= 'running' then
      redis.call('ZADD', K_CANCELLED, now, id)
      job_finished(id, nil, 'cancelled', '', now)
    else
      live[#live + 1] = id
    end
  end
  local next_batch = redis.call('HRANDFIELD', K_CANCELLING)
  if next_batch then cancel_members(next_batch, now) end
  return live
end

--[[ A dead job revived from the dead letters rejoins the flow it died in while that flow can take it back: a
batch that still runs (allowFailures) counts it pending again instead of failed; a chain that failed at this
job's step runs again from it (and, if the chain is a member of a batch, that batch must take the chain back
the same way). A flow that already ended otherwise (its callbacks fired, or it was cancelled) does not: the job
runs alone then and counts nowhere. The caller puts a job taken back into its flow again. ]]
local function rejoin(id, ref)
  local kind, fid = string.sub(ref, 1, 1), string.sub(ref, 2)
  if kind == 'b' then
    if redis.call('HGET', K_BATCHES, fid .. ':status') ~= 'running' then return false end
    redis.call('HINCRBY', K_BATCHES, fid .. ':failed', -1)
    redis.call('HINCRBY', K_BATCHES, fid .. ':pending', 1)
  else
    local step = redis.call('HGET', K_CHAINS, fid .. ':failed_step')
    if redis.call('HGET', K_CHAINS, fid .. ':status') ~= 'failed' or not step
        or redis.call('HGET', K_CHAINS, fid .. ':job:' .. step) ~= id then
      return false
    end
    local parent = redis.call('HGET', K_CHAINS, fid .. ':parent') or ''
    if parent ~= '' and not rejoin('', parent) then return false end
    redis.call('HSET', K_CHAINS, fid .. ':status', 'running')
    redis.call('HDEL', K_CHAINS, fid .. ':failed_step', fid .. ':error', fid .. ':ended')
    redis.call('ZREM', K_ENDED, ref)
  end
  return true
end

-- The flow a dead job died in ('b<id>', 'c<id>'), read from its stored metadata, and its home queue when the flow
-- lives on another queue; nil for a callback or a plain job.
local function flow_of(id)
  local envelope = redis.call('HGET', K_JOBS, id)
  if not envelope then return nil end
  local line = string.sub(envelope, 1, (string.find(envelope, '\n', 1, true) or 0) - 1)
  local _, second = string.find(line, '\t[^\t]*\t')
  if not second or second == #line then return nil end
  local ok, options = pcall(cjson.decode, string.sub(line, second + 1))
  local metadata = ok and type(options) == 'table' and options.metadata
  if type(metadata) ~= 'table' then return nil end
  local home = (type(metadata['jobqueue.home']) == 'string') and metadata['jobqueue.home'] or nil
  if type(metadata['jobqueue.chain']) == 'string' then return 'c' .. metadata['jobqueue.chain'], home end
  local bid = metadata['jobqueue.batch']
  if type(bid) == 'string' and string.match(string.sub(id, #bid + 2), '^%d+$') then return 'b' .. bid, home end
  return nil
end

--[[ A revived job whose flow lives on another queue (home) starts a new life there: numbered by its ended
attempts (only a death ends a life that can be revived, and a death counts an attempt, so the numbers grow), named
in its parent ('r<home>\31<flow ref>\31<life>') so that its outcome carries it, and announced to the home by a
'revive' entry in the relay, which overwrites a death not relayed yet (that death then never counts). The home
takes it back as rejoin does, or lets it run alone (flow_relay.lua). ]]
local function rejoin_remote(id, ref, home)
  local life = math.max(1, tonumber(redis.call('HGET', K_ATTEMPTS, id) or '0'))
  local parent = 'r' .. home .. '\31' .. ref .. '\31' .. life
  redis.call('HSET', K_FLOWS, id, parent .. '\t')
  relay_outcome(id, 'revive', parent, '')
end
