#!lua
--[[ Cancels a job, a chain or a batch in constant time per job (cancel_node in common.lua). A waiting job is
cancelled at once (one still in a list gets a tombstone and is dropped when popped); a running job gets a cancel
request that its worker sees at its next heartbeat. A chain's pending step is cancelled and no further step
starts; a batch's waiting members are cancelled and its running ones asked to stop.
KEYS: jobs prio scheduled retry active completed cancelled skipped dead tombstones cancels leases attempts failures
      stalls priorities errors results progress reaped ready seq wake flows uniques batches chains ended
      cancelling relay events event_count history
ARGV[1] id, ARGV[2] cancelled jobs to keep, ARGV[3] longest time to keep one, ms (-1: no age limit)
Returns: 'cancelled', 'requested' (running: its worker stops it), 'unknown', or the state that cannot be
cancelled ('completed', 'cancelled', 'skipped', 'dead'; for flows also 'succeeded', 'failed') ]]
-- @include common

local now = now_ms()
local outcome = cancel_node(ARGV[1], now)
if outcome == 'cancelled' then trim(K_CANCELLED, tonumber(ARGV[2]), tonumber(ARGV[3]), now, 100) end
return outcome
