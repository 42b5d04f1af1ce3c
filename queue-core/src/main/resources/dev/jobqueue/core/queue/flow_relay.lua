#!lua
--[[ Applies, on a flow's home store, the outcome of one of its jobs that ran on another queue (read from that
queue's 'relay' by FlowRelay): at most once per job, however often it is relayed, by a mark in the flow's record
written in the same call ('r:<job id>', removed with the record). The relay entry is deleted afterwards by
relay_done.lua; a crash between the two calls only relays it again, and the mark refuses it.
KEYS: jobs ready prio scheduled retry active completed cancelled skipped dead priorities seq wake tombstones
      cancels flows uniques batches chains ended cancelling relay events history
ARGV[1] job id, ARGV[2] how it ended ('ok', 'dead', 'cancelled'), ARGV[3] the flow ref ('b<id>', 'c<id>'),
ARGV[4] its result or error JSON ('' for none)
Returns: 1 applied, 0 already applied (or the flow's record is gone) ]]
-- @include common

local now = now_ms()
local id, how, ref, value = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local hash = flow_hash(ref)
if redis.call('HEXISTS', hash, field(ref, 'status')) == 0 then return 0 end
if redis.call('HSETNX', hash, field(ref, 'r:' .. id), 1) == 0 then return 0 end
job_finished(nil, ref, how, value, now)
return 1
