#!lua
--[[ Renews a leader's lease (a new length from now) if it still leads in the same term.
KEYS[1] leader  string "<term>:<candidate>"
ARGV[1] the leader's value "<term>:<candidate>"
ARGV[2] lease in ms
Returns: 1 renewed; 0 no longer leader (the lease ran out; someone else may lead) ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
