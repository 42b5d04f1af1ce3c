#!lua
--[[ Releases a lock if this holder still has it, and wakes one waiter.
KEYS[1] lock    string "<token>:<owner>"
KEYS[2] signal  list waiters block on (BLPOP); holds at most one signal, which expires unread
ARGV[1] the holder's value "<token>:<owner>"
ARGV[2] how long an unread signal is kept, in ms
Returns: 1 released; 0 the lock was not ours any more (our lease ran out), nothing changed ]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('RPUSH', KEYS[2], '1')
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
