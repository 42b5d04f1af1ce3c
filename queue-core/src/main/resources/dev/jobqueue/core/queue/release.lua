#!lua
--[[ Gives back leases (graceful shutdown): the jobs become pending again at the front of their priority.
KEYS: the queue's keys (see common.lua)
ARGV: pairs of id, fencing token
Returns: number of leases given back ]]
-- @include common

local released = 0
-- Last first: each goes to the front, so the jobs keep the order they were leased in.
for i = #ARGV - 1, 1, -2 do
  local id = ARGV[i]
  if lease_held(id, ARGV[i + 1]) then
    end_lease(id)
    make_ready(id, true)
    released = released + 1
  end
end
if released > 0 then wake(released) end
return released
