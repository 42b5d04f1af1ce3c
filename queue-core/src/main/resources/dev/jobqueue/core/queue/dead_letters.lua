#!lua flags=no-writes
--[[ Reads dead-lettered jobs, newest first, by rank (ARGV[1] start, ARGV[2] stop, inclusive like ZRANGE),
or one job by id (ARGV[1] = 'id', ARGV[2] = id).
KEYS: the queue's keys (see common.lua)
Returns: per job: id, envelope, time of death in ms, attempts, error ]]
-- @include common

local entries
if ARGV[1] == 'id' then
  local score = redis.call('ZSCORE', K_DEAD, ARGV[2])
  if not score then return {} end
  entries = { ARGV[2], score }
else
  entries = redis.call('ZREVRANGE', K_DEAD, tonumber(ARGV[1]), tonumber(ARGV[2]), 'WITHSCORES')
end
local out = {}
for i = 1, #entries, 2 do
  local id = entries[i]
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', K_JOBS, id)
  out[#out + 1] = tonumber(entries[i + 1])
  out[#out + 1] = tonumber(redis.call('HGET', K_ATTEMPTS, id) or '0')
  out[#out + 1] = redis.call('HGET', K_ERRORS, id)
end
return out
