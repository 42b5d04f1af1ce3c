#!lua
--[[ Becomes leader if nobody is; each new leadership gets the next term.
KEYS[1] leader  string "<term>:<candidate>", expires with the lease
KEYS[2] term    counter of terms; never expires, so terms grow forever
ARGV[1] candidate id
ARGV[2] lease in ms
Returns: {1, term} elected; {0, the sitting leader's term} not elected ]]
local held = redis.call('GET', KEYS[1])
if held then return {0, tonumber(string.match(held, '^(%d+):'))} end
local term = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], term .. ':' .. ARGV[1], 'PX', ARGV[2])
return {1, term}
