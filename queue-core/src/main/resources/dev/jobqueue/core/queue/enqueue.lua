#!lua
--[[ Enqueues jobs. A job whose id exists, or whose idempotency key still lives, is left as it is.
KEYS: jobs ready prio scheduled priorities seq wake
  then idempotency keys and effect keys, referenced by index n as KEYS[KEY_BASE + n]
ARGV[1] number of jobs, ARGV[2] idempotency window in ms
then per job: id, envelope, priority, due kind ('n' now, 'd' delay in ms, 'a' at epoch ms), due value,
  index of its idempotency key (0: none), then its effects (see effects in common.lua), applied only when the
  job is created
Returns: one integer per job: 1 enqueued, 0 left as it was (the id exists or its idempotency key lives) ]]
-- @include common

local now = now_ms()
local window = ARGV[2]
local out, ready = {}, {}
local woken = 0
local i = 3
for j = 1, tonumber(ARGV[1]) do
  local id, envelope, p, kind = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3]
  local key_index = tonumber(ARGV[i + 5])
  local due = nil
  if kind == 'd' then due = now + tonumber(ARGV[i + 4]) elseif kind == 'a' then due = tonumber(ARGV[i + 4]) end
  local created = -1
  if key_index == 0 or redis.call('SET', KEYS[KEY_BASE + key_index], '1', 'PX', window, 'NX') then
    created = add_job(id, envelope, p, due, now, ready)
  end
  local extra
  i, extra = effects(i + 6, created >= 0, now)
  woken = woken + extra
  if created == 1 then woken = woken + 1 end
  out[j] = (created >= 0) and 1 or 0
end
call_chunked('LPUSH', K_READY, ready)
if woken > 0 then wake(woken) end
return out
