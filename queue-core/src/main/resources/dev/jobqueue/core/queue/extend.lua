#!lua
--[[ Heartbeat: extends the leases still held by this worker.
KEYS: the queue's keys (see common.lua)
ARGV[1] lease length in ms, from now
then pairs: id, fencing token
Returns: the ids whose lease is no longer held (the worker must stop them and write nothing) ]]
-- @include common

local deadline = now_ms() + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if lease_held(id, ARGV[i + 1]) then
    redis.call('ZADD', K_ACTIVE, 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
