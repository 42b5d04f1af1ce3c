#!lua
--[[ Reclaims jobs whose lease expired (their worker died or hung). Each expired lease is claimed here, in one
script, so reapers racing each other reclaim a job once. A job reclaimed more than ARGV[1] times is dead-lettered.
KEYS: the queue's keys (see common.lua)
ARGV[1] most reclaims before a job is dead-lettered
ARGV[2] most leases to reclaim per call
Returns: { { ids put back to pending }, { ids dead-lettered } } ]]
-- @include common

local now = now_ms()
local max_stalls = tonumber(ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', K_ACTIVE, '-inf', '(' .. now, 'LIMIT', 0, tonumber(ARGV[2]))
local back, dead = {}, {}
-- Newest deadline first: each goes to the front, so the longest-waiting job ends up first in line.
for i = #expired, 1, -1 do
  local id = expired[i]
  end_lease(id)
  local stalls = redis.call('HINCRBY', K_STALLS, id, 1)
  if stalls > max_stalls then
    dead_letter(id, cjson.encode({
      message = 'The lease expired ' .. stalls .. ' times: the job was running each time its worker died or hung',
      type = 'dev.jobqueue.core.worker.LeaseExpiredException' }), now)
    dead[#dead + 1] = id
  else
    make_ready(id, true)
    back[#back + 1] = id
  end
end
if #back > 0 then wake(#back) end
return { back, dead }
