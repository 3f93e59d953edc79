/**
 * The start of every script: Redis's own clock as integer epoch milliseconds (so skew between app
 * servers cannot change a decision), the algorithm tables, and `over`, the refusal of a cost above a
 * policy's capacity (nothing changes; retry after one window, since waiting can never admit it).
 *
 * All state is integers below 2^53 (the algorithms scale by `limit` or `windowMs` instead of using
 * fractions), so Lua's doubles hold it exactly, it round-trips through Redis strings unchanged, and
 * every division is the same IEEE operation as in the JavaScript algorithms.
 */
export const preludeLua = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local DECIDE, REFUND = {}, {}
local function over(d, remaining, W)
  d.ok = false
  d.over = true
  d.remaining = remaining
  d.retry = W
  return d
end
`;
