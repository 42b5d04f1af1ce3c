#!lua
--[[ A job's events, oldest first, through its history (the ids of its events): one lookup per event whatever the
stream's length (see 'history' in common.lua). Events the stream no longer keeps (trimmed by length or age) are left out.
KEYS: history events
ARGV[1] job id
Returns: { per event: { stream id, { field, value, ... } } } ]]

local out = {}
local history = redis.call('HGET', K_HISTORY, ARGV[1])
if history then
  -- The first field is the job's type; a progress event's id ends in 'p' (see emit).
  for sid in string.gmatch(string.match(history, '^[^\t]*(.*)$'), '([^\tp]+)p?') do
    local entry = redis.call('XRANGE', K_EVENTS, sid, sid)
    if #entry > 0 then out[#out + 1] = entry[1] end
  end
end
return out
