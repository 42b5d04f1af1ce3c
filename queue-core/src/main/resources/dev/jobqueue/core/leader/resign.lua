#!lua
--[[ Gives up leadership at once so another candidate can be elected without waiting for the lease.
KEYS[1] leader  string "<term>:<candidate>"
ARGV[1] the leader's value "<term>:<candidate>"
Returns: 1 resigned; 0 was not leader any more ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
