#!lua
--[[ Appends a user event (an audit note, ...) to a queue's event stream, and to the job's history when the job is
stored (a history is removed with its job, so none is started for an id that is not stored).
KEYS: jobs events history
ARGV[1] job id ('': none), ARGV[2] most events the stream keeps (MAXLEN ~), then field, value pairs
Returns: the event's stream id ]]

local id = ARGV[1]
local history = (id ~= '') and redis.call('HGET', K_HISTORY, id)
if id ~= '' and not history then
  local envelope = redis.call('HGET', K_JOBS, id)
  history = envelope and string.match(envelope, '^[^\t\n]*')
end
local fields = { unpack(ARGV, 3) }
if history then
  fields[#fields + 1] = 'type'
  fields[#fields + 1] = string.match(history, '^[^\t]*')
end
local sid = redis.call('XADD', K_EVENTS, 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
if history then redis.call('HSET', K_HISTORY, id, history .. '\t' .. sid) end
return sid
