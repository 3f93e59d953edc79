/**
 * Lua for `sliding-window` (see `algorithms/sliding-window.ts`): state `{ w = window index, c = its
 * count, p = the previous window's count }` in a hash, windows aligned to multiples of W, expiring at
 * the end of the window after the current one (when the current count stops mattering).
 */
export const slidingWindowLua = `
DECIDE['sliding-window'] = function(st, now, L, W, B, c)
  local cur = math.floor(now / W)
  local curStart = cur * W
  local h = redis.call('HMGET', st, 'w', 'c', 'p')
  local w, cc, pc = tonumber(h[1]), tonumber(h[2]) or 0, tonumber(h[3]) or 0
  local prev, count = 0, 0
  if w == cur then prev = pc; count = cc elseif w == cur - 1 then prev = cc end
  local weight = (curStart + W - now) / W
  local estimate = prev * weight + count
  local need = math.max(c, 1)
  local d = { over = need > L }
  d.ok = (not d.over) and estimate + need <= L + 1e-9
  local after = count
  if d.ok and c > 0 then after = count + c end
  d.remaining = math.max(0, math.floor(L - (prev * weight + after)))
  if after > 0 then d.resetAt = curStart + 2 * W elseif prev > 0 then d.resetAt = curStart + W else d.resetAt = now end
  if d.ok then d.retry = 0
  elseif d.over then d.retry = W
  else
    -- Smallest whole t >= 1 with estimate(now + t) + need <= L, first inside this window, else in the next.
    local t0 = curStart + W - now
    local t = nil
    if prev > 0 and L - count - need >= 0 then
      t = math.max(1, math.ceil(t0 - (L - count - need) * W / prev))
      if t >= t0 then t = nil end
    end
    if t == nil then
      if count == 0 then t = t0 else t = math.max(t0, math.ceil(t0 + W - (L - need) * W / count)) end
    end
    d.retry = t
  end
  d.write = function()
    redis.call('HSET', st, 'w', cur, 'c', after, 'p', prev)
    redis.call('PEXPIREAT', st, curStart + 2 * W)
  end
  return d
end

REFUND['sliding-window'] = function(st, now, L, W, B, n)
  local cur = math.floor(now / W)
  local h = redis.call('HMGET', st, 'w', 'c')
  if tonumber(h[1]) ~= cur then return end
  redis.call('HSET', st, 'c', math.max(0, tonumber(h[2]) - n))
end
`;
