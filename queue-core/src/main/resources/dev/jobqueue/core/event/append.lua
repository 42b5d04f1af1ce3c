#!lua
--[[ Appends a user event (an audit note, ...) to a queue's event stream, with the job's type when the job is stored.
KEYS: jobs events
ARGV[1] job id ('': none), ARGV[2] most events the stream keeps (MAXLEN ~), then field, value pairs
Returns: the event's stream id ]]

local id = ARGV[1]
local envelope = (id ~= '') and redis.call('HGET', K_JOBS, id)
local fields = { unpack(ARGV, 3) }
if envelope then
  fields[#fields + 1] = 'type'
  fields[#fields + 1] = string.match(envelope, '^[^\t\n]*')
end
return redis.call('XADD', K_EVENTS, 'MAXLEN', '~', ARGV[2], '*', unpack(fields))
