--[[ Lists a coordination primitive (lock, semaphore, rate limiter, leader election) for the dashboard, with its
settings; a new name is refused once the list is full, so it stays bounded.
KEYS[1] coordination  hash  '<kind>\t<name>' -> settings
ARGV[1] field, ARGV[2] settings, ARGV[3] most names
Returns: 1 listed, 0 list full ]]

if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
