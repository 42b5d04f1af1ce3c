#!lua
--[[ Applies, on a flow's home store, a message about one of its jobs that runs on another queue (read from that
queue's 'relay' by FlowRelay): the outcome of one life of the job, or its revival (a new life, see rejoin_remote).
Each applies at most once however often it is relayed and in whatever order, by a mark in the flow's record written
in the same call, 'r:<job id>': 2 * life once that life was taken back (life 0 is the dispatch: no mark), plus 1
once its outcome counted; 'x' once the flow let go of the job (cancel_remote): nothing about it counts any more.
A message of a newer life than the mark first takes the job back into the flow (rejoin) when its last outcome, a
death, counted; when that death never reached the home (overwritten in the relay by the revival) the job is still
counted pending there and nothing is undone. A flow that cannot take the job back leaves it alone: its outcome
counts nowhere. The relay entry is deleted afterwards by relay_done.lua; a crash in between only relays it again.
KEYS: jobs ready prio scheduled retry active completed cancelled skipped dead priorities seq wake tombstones
      cancels flows uniques batches chains ended cancelling relay events event_count
ARGV[1] job id, ARGV[2] how it ended ('ok', 'dead', 'cancelled') or 'revive', ARGV[3] the flow ref ('b<id>',
'c<id>'), followed by '\31<life>' for a life after the first, ARGV[4] its result or error JSON ('' for none)
Returns: 1 applied, 0 already applied, superseded, let go (or the flow's record is gone) ]]
-- @include common

local now = now_ms()
local id, how, ref, value = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local life = 0
local separator = string.find(ref, '\31', 1, true)
if separator then
  life = tonumber(string.sub(ref, separator + 1))
  ref = string.sub(ref, 1, separator - 1)
end
local hash = flow_hash(ref)
if redis.call('HEXISTS', hash, field(ref, 'status')) == 0 then return 0 end
local mark = field(ref, 'r:' .. id)
local seen = redis.call('HGET', hash, mark)
if seen == 'x' then return 0 end
seen = tonumber(seen or '0')
if seen >= 2 * life + 1 or (how == 'revive' and seen >= 2 * life) then return 0 end
if seen < 2 * life then
  if seen % 2 == 1 and not rejoin(id, ref) then
    redis.call('HSET', hash, mark, 2 * life + 1)
    return 0
  end
  redis.call('HSET', hash, mark, 2 * life)
  if how == 'revive' then return 1 end
end
redis.call('HSET', hash, mark, 2 * life + 1)
job_finished(nil, ref, how, value, now)
return 1
