#!lua flags=no-writes
--[[ Reads dead-lettered jobs, newest first, by rank (ARGV[1] start, ARGV[2] stop, inclusive like ZRANGE; at most
1,000 per call), or one job by id (ARGV[1] = 'id', ARGV[2] = id).
KEYS: dead jobs attempts errors
Returns: per job: id, envelope, time of death in ms, attempts, error ]]
-- @include common

local entries
if ARGV[1] == 'id' then
  local score = redis.call('ZSCORE', K_DEAD, ARGV[2])
  if not score then return {} end
  entries = { ARGV[2], score }
else
  local start, stop = tonumber(ARGV[1]), tonumber(ARGV[2])
  if stop < 0 or stop > start + 999 then stop = start + 999 end
  entries = redis.call('ZREVRANGE', K_DEAD, start, stop, 'WITHSCORES')
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
