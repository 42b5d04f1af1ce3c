#!lua
--[[ GCRA (generic cell rate algorithm): one request against a limiter, decided on Redis's clock.
The key holds one number, the theoretical arrival time (TAT) in microseconds, and expires when it no
longer matters, so memory is O(1) per limited key.
KEYS[1] limiter  string TAT in us
ARGV[1] emission interval T in us (window / (limit - burst + 1), rounded up)
ARGV[2] tolerance in us ((burst - 1) * T)
Returns: {1 allowed / 0 denied, remaining, retry after in us, Redis time in us} ]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
if tat - now > tolerance then
  return {0, 0, tat - now - tolerance, now}
end
local new = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', new), 'PX', math.ceil((new - now) / 1000) + 1)
return {1, math.floor((tolerance - (new - now)) / interval) + 1, 0, now}
