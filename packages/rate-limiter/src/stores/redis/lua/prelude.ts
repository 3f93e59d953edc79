/**
 * The start of every script: Redis's own clock as integer epoch milliseconds (so skew between app
 * servers cannot change a decision), the algorithm tables, and `num`, which writes a float with 17
 * significant digits so a value read back is the exact double the algorithm computed.
 */
export const preludeLua = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local DECIDE, REFUND = {}, {}
local function num(x) return string.format('%.17g', x) end
`;
