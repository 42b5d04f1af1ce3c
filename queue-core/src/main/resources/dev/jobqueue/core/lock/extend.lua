#!lua
--[[ Sets a held lock's lease to a new length from now, if this holder still has it.
KEYS[1] lock  string "<token>:<owner>"
ARGV[1] the holder's value "<token>:<owner>"
ARGV[2] new lease in ms
Returns: 1 extended; 0 the lock was not ours any more, nothing changed ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
