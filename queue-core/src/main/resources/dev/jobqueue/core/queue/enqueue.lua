#!lua
--[[ Enqueues jobs. A job whose id exists, or whose idempotency key still lives, is left as it is.
KEYS: jobs ready prio scheduled priorities seq wake events event_count
  then idempotency keys and effect keys, referenced by index n as KEYS[KEY_BASE + n]
ARGV[1] number of jobs, ARGV[2] idempotency window in ms, ARGV[3] this call's nonce (the idempotency keys' value,
  so a call sent again after a lost reply recognises the jobs its first send created)
then per job: id, envelope, priority, due kind ('n' now, 'd' delay in ms, 'a' at epoch ms), due value,
  index of its idempotency key (0: none), then its effects (see effects in common.lua), applied only when the
  job is created;
  or for consecutive jobs of priority 0, due now, without idempotency key or effects (a bulk enqueue's):
  '' (never a job id), their number, then per job: id, envelope
Returns: the positions (from 1) of the jobs left as they were (the id exists or its idempotency key lives); every
other job was enqueued, by this call or its first send ]]
-- @include common

local now = now_ms()
batch_events()
local window, nonce = ARGV[2], ARGV[3]
local out, ready = {}, {}
local woken = 0
local i, j, n = 4, 0, tonumber(ARGV[1])
while j < n do
  if ARGV[i] == '' then
    local last = i + 2 * tonumber(ARGV[i + 1])
    for k = i + 2, last, 2 do
      j = j + 1
      if add_job(ARGV[k], ARGV[k + 1], 0, nil, now, ready) >= 0 then woken = woken + 1 else out[#out + 1] = j end
    end
    i = last + 2
  else
    j = j + 1
    local id, envelope, p, kind = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
    local key_index = tonumber(ARGV[i + 5])
    local due = nil
    if kind == 'd' then due = now + tonumber(ARGV[i + 4]) elseif kind == 'a' then due = tonumber(ARGV[i + 4]) end
    local created, ours = -1, false
    if key_index == 0 or redis.call('SET', KEYS[KEY_BASE + key_index], nonce, 'PX', window, 'NX') then
      created = add_job(id, envelope, p, due, now, ready)
    else
      ours = redis.call('GET', KEYS[KEY_BASE + key_index]) == nonce
    end
    local extra
    i, extra = effects(i + 6, created >= 0, now)
    woken = woken + extra
    -- Idle workers learn of delayed jobs too: they wait until the earliest due time they know of.
    if created >= 0 then woken = woken + 1 end
    if created < 0 and not ours then out[#out + 1] = j end
  end
end
call_chunked('LPUSH', K_READY, ready)
if woken > 0 then wake(woken) end
flush_events()
return out
