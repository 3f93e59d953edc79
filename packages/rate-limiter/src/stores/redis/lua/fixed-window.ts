/**
 * Lua for `fixed-window` (see `algorithms/fixed-window.ts`): state `{ c = count, s = start }` in a hash,
 * the window anchored at the first request, expiring at `start + W`.
 */
export const fixedWindowLua = `
DECIDE['fixed-window'] = function(st, now, L, W, B, c)
  local h = redis.call('HMGET', st, 'c', 's')
  local count, start = tonumber(h[1]), tonumber(h[2])
  if not start or now >= start + W then count = 0; start = now end
  local need = math.max(c, 1)
  local d = { over = need > L }
  d.ok = (not d.over) and count + need <= L
  local after = count
  if d.ok and c > 0 then after = count + c end
  d.remaining = L - after
  d.resetAt = start + W
  if d.ok then d.retry = 0 elseif d.over then d.retry = W else d.retry = start + W - now end
  d.write = function()
    redis.call('HSET', st, 'c', after, 's', start)
    redis.call('PEXPIREAT', st, start + W)
  end
  return d
end

REFUND['fixed-window'] = function(st, now, L, W, B, n)
  local h = redis.call('HMGET', st, 'c', 's')
  local count, start = tonumber(h[1]), tonumber(h[2])
  if not start or now >= start + W then return end
  redis.call('HSET', st, 'c', math.max(0, count - n))
end
`;
