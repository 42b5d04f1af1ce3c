#!lua flags=allow-oom
--[[ Heartbeat: extends the leases still held by this worker and tells which jobs were cancelled meanwhile.
KEYS: active leases cancels
ARGV[1] lease length in ms, from now
then pairs: id, fencing token
Returns: { ids whose lease is no longer held (the worker must stop them and write nothing),
           ids whose cancel was requested (the worker stops them and settles them as cancelled) } ]]
-- @include common

local deadline = now_ms() + tonumber(ARGV[1])
local ids = {}
for i = 2, #ARGV, 2 do ids[#ids + 1] = ARGV[i] end
if #ids == 0 then return { {}, {} } end
local held = redis.call('HMGET', K_LEASES, unpack(ids))
local lost, kept, scored = {}, {}, {}
for j, id in ipairs(ids) do
  if held[j] == ARGV[2 * j + 1] then
    kept[#kept + 1] = id
    scored[#scored + 1] = deadline
    scored[#scored + 1] = id
  else
    lost[#lost + 1] = id
  end
end
if #scored > 0 then redis.call('ZADD', K_ACTIVE, 'XX', unpack(scored)) end
local cancelled = {}
if #kept > 0 and redis.call('HLEN', K_CANCELS) > 0 then
  local marks = redis.call('HMGET', K_CANCELS, unpack(kept))
  for j, id in ipairs(kept) do
    if marks[j] then cancelled[#cancelled + 1] = id end
  end
end
return { lost, cancelled }
