#!lua
--[[ Appends a user event (an audit note, ...) to a queue's event stream, and to the job's history when the job is
stored (a history is removed with its job, so none is started for an id that is not stored).
KEYS: jobs events history
ARGV[1] job id ('': none), ARGV[2] most events the stream keeps (MAXLEN ~), then field, value pairs
Returns: the event's stream id ]]

local id = ARGV[1]
local envelope = (id ~= '') and redis.call('HGET', K_JOBS, id)
local fields = { unpack(ARGV, 3) }
if envelope then
  fields[#fields + 1] = 'type'
  fields[#fields + 1] = string.match(envelope, '^[^\t]*')
end
local sid = redis.call('XADD', K_EVENTS, 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
if envelope then
  local history = redis.call('HGET', K_HISTORY, id)
  redis.call('HSET', K_HISTORY, id, history and (history .. ' ' .. sid) or sid)
end
return sid
