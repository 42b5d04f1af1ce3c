#!lua
--[[ Appends a user event (an audit note, ...) to a queue's event stream, with the job's type when the job is stored.
KEYS: jobs events event_count
ARGV[1] job id ('': none), then field, value pairs; the note is counted in event_count, and the queue's next
  script that writes events trims the stream (count_events in common.lua)
Returns: the event's stream id ]]

local id = ARGV[1]
local envelope = (id ~= '') and redis.call('HGET', K_JOBS, id)
local fields = { unpack(ARGV, 2) }
if envelope then
  fields[#fields + 1] = 'type'
  fields[#fields + 1] = string.match(envelope, '^[^\t\n]*')
end
local sid = redis.call('XADD', K_EVENTS, '*', unpack(fields))
-- A stream of this note alone was deleted or emptied: a count left from before would drop the events written next.
if redis.call('XLEN', K_EVENTS) == 1 then redis.call('SET', K_EVENT_COUNT, 1) else redis.call('INCR', K_EVENT_COUNT) end
return sid
