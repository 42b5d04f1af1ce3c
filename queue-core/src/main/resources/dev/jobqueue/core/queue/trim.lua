#!lua
--[[ Retention janitor: trims completed, cancelled, skipped and dead jobs by count and age.
KEYS: completed cancelled skipped dead jobs leases attempts failures stalls priorities errors results progress reaped
      history events event_count
ARGV[1] finished (completed, cancelled, skipped) jobs to keep, ARGV[2] their longest age in ms (-1: none)
ARGV[3] dead jobs to keep, ARGV[4] their longest age in ms (-1: none)
ARGV[5] most jobs to remove per set
Returns: { finished jobs removed, dead jobs removed } ]]
-- @include common

local now = now_ms()
local limit = tonumber(ARGV[5])
local keep, age = tonumber(ARGV[1]), tonumber(ARGV[2])
trim_events(now)
return { trim(K_COMPLETED, keep, age, now, limit) + trim(K_CANCELLED, keep, age, now, limit)
  + trim(K_SKIPPED, keep, age, now, limit), trim(K_DEAD, tonumber(ARGV[3]), tonumber(ARGV[4]), now, limit) }
