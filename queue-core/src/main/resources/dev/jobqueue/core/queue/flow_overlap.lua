#!lua
--[[ Claims a key for a running job so that no other job with the key runs at the same time. The claim is worth
its holder's lease: it lapses when that lease ends (settled, or reclaimed by the reaper once it ran out), so a
dead worker cannot keep it. A lease past its deadline but not reclaimed yet still counts: its late outcome may
still be written, and with it the deletion of the claim.
KEYS: leases
  then the claim key, KEYS[KEY_BASE + 1]
ARGV[1] id of the running job, ARGV[2] its fencing token
Returns: 1 claimed (or already held by this lease), 0 another job's live lease holds it ]]
-- @include common

local claim = KEYS[KEY_BASE + 1]
local held = redis.call('GET', claim)
if held then
  local tab = string.find(held, '\t', 1, true)
  local holder, token = string.sub(held, 1, tab - 1), string.sub(held, tab + 1)
  if not (holder == ARGV[1] and token == ARGV[2]) and redis.call('HGET', K_LEASES, holder) == token then return 0 end
end
redis.call('SET', claim, ARGV[1] .. '\t' .. ARGV[2])
return 1
