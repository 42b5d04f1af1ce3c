#!lua
--[[ Retention janitor: trims completed, cancelled and dead jobs by count and age.
KEYS: the queue's keys (see common.lua)
ARGV[1] finished (completed, cancelled) jobs to keep, ARGV[2] their longest age in ms (-1: none)
ARGV[3] dead jobs to keep, ARGV[4] their longest age in ms (-1: none)
ARGV[5] most jobs to remove per set
Returns: number of jobs removed ]]
-- @include common

local now = now_ms()
local limit = tonumber(ARGV[5])
return trim(K_COMPLETED, tonumber(ARGV[1]), tonumber(ARGV[2]), now, limit)
  + trim(K_CANCELLED, tonumber(ARGV[1]), tonumber(ARGV[2]), now, limit)
  + trim(K_DEAD, tonumber(ARGV[3]), tonumber(ARGV[4]), now, limit)
