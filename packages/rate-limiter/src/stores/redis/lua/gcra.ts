/**
 * Lua for `gcra` (see `algorithms/gcra.ts`): one string per key, the theoretical arrival time (TAT)
 * in fractional epoch milliseconds, expiring at the TAT (after which a missing key means the same).
 */
export const gcraLua = `
DECIDE['gcra'] = function(st, now, L, W, B, c)
  local T = W / L
  local tat = math.max(tonumber(redis.call('GET', st)) or now, now)
  local need = math.max(c, 1)
  local d = { over = need > B }
  local allowAt = tat + need * T - B * T
  d.ok = (not d.over) and now >= allowAt
  local after = tat
  if d.ok and c > 0 then after = tat + c * T end
  d.remaining = math.min(B, math.max(0, math.floor((now - (after - B * T)) / T)))
  d.resetAt = math.ceil(after)
  if d.ok then d.retry = 0 elseif d.over then d.retry = W else d.retry = math.ceil(allowAt - now) end
  d.write = function()
    redis.call('SET', st, num(after), 'PX', math.ceil(after) - now)
  end
  return d
end

REFUND['gcra'] = function(st, now, L, W, B, n)
  local tat = tonumber(redis.call('GET', st))
  if not tat or tat <= now then return end
  local T = W / L
  tat = math.max(now, tat - n * T)
  if tat <= now then redis.call('DEL', st) return end
  redis.call('SET', st, num(tat), 'PX', math.ceil(tat) - now)
end
`;
