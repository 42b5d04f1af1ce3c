#!lua
--[[ Enqueues jobs; a job whose id exists is left as it is (the id is an idempotency key).
KEYS: the queue's keys (see common.lua)
ARGV[1]   number of jobs
then per job, 5 values: id, envelope (JSON), priority, due kind ('n' now, 'd' delay in ms, 'a' at epoch ms), due value
Returns: one integer per job: 1 enqueued, 0 an existing job has that id ]]
-- @include common

local now = now_ms()
local out = {}
local ready = {}
local woken = 0
local n = tonumber(ARGV[1])
for i = 0, n - 1 do
  local b = 2 + i * 5
  local id = ARGV[b]
  if redis.call('HSETNX', K_JOBS, id, ARGV[b + 1]) == 0 then
    out[i + 1] = 0
  else
    out[i + 1] = 1
    local p = tonumber(ARGV[b + 2])
    if p ~= 0 then redis.call('HSET', K_PRIORITIES, id, p) end
    local kind, due = ARGV[b + 3], nil
    if kind == 'd' then due = now + tonumber(ARGV[b + 4]) elseif kind == 'a' then due = tonumber(ARGV[b + 4]) end
    if due and due > now then
      redis.call('ZADD', K_SCHEDULED, due, id)
    else
      woken = woken + 1
      if p == 0 then
        ready[#ready + 1] = id
      else
        redis.call('ZADD', K_PRIO, priority_score(p, redis.call('INCR', K_SEQ) % SCALE), id)
      end
    end
  end
end
call_chunked('LPUSH', K_READY, ready)
if woken > 0 then wake(woken) end
return out
