#!lua
--[[ Deletes up to ARGV[1] of the oldest dead-lettered jobs, or the given ids ('ids' in ARGV[1]).
KEYS: dead jobs leases attempts failures stalls priorities errors results progress reaped history
Returns: number of jobs deleted ]]
-- @include common

local ids
if ARGV[1] == 'ids' then
  ids = {}
  for i = 2, #ARGV do
    if redis.call('ZSCORE', K_DEAD, ARGV[i]) then ids[#ids + 1] = ARGV[i] end
  end
else
  ids = redis.call('ZRANGE', K_DEAD, 0, tonumber(ARGV[1]) - 1)
end
if #ids > 0 then
  call_chunked('ZREM', K_DEAD, ids)
  forget(ids)
end
return #ids
