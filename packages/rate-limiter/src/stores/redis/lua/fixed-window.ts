/**
 * Lua for `fixed-window`, the same transitions as `algorithms/fixed-window.ts` (read that file first):
 * state `{ c = count, s = start }` in a hash, expiring at `start + windowMs`.
 */
export const fixedWindowLua = `
DECIDE['fixed-window'] = function(st, now, L, W, B, c)
  local h = redis.call('HMGET', st, 'c', 's')
  local start = tonumber(h[2])
  local open = start ~= nil and now < start + W
  local count = open and tonumber(h[1]) or 0
  local d = { resetAt = (open and start or now) + W }
  if c > L then return over(d, L - count, W) end
  d.ok = count + math.max(c, 1) <= L
  d.remaining = L - count - (d.ok and c or 0)
  d.retry = d.ok and 0 or d.resetAt - now
  d.write = function()
    local from = open and start or now
    redis.call('HSET', st, 'c', count + c, 's', from)
    redis.call('PEXPIREAT', st, from + W)
  end
  return d
end

REFUND['fixed-window'] = function(st, now, L, W, B, n)
  local h = redis.call('HMGET', st, 'c', 's')
  local start = tonumber(h[2])
  if start == nil or now >= start + W then return end
  redis.call('HSET', st, 'c', math.max(0, tonumber(h[1]) - n))
end
`;
