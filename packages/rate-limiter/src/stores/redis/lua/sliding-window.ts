/**
 * Lua for `sliding-window`, the same transitions as `algorithms/sliding-window.ts` (read that file
 * first), in the same exact integer arithmetic (the estimate scaled by `windowMs`): state `{ w = window
 * index, c = its count, p = the previous window's count }` in a hash, expiring at `(w + 2) × windowMs`.
 */
export const slidingWindowLua = `
local function slidingRetry(L, W, current, previous, left, need)
  local room = (L - current - need) * W
  if room >= 0 and previous > 0 then
    local slack = math.floor(room / previous)
    if slack >= 1 then return left - slack end
  end
  if current == 0 then return left end
  return math.max(left, left + W - math.floor(((L - need) * W) / current))
end

DECIDE['sliding-window'] = function(st, now, L, W, B, c)
  local index = math.floor(now / W)
  local h = redis.call('HMGET', st, 'w', 'c', 'p')
  local window = tonumber(h[1])
  local current, previous = 0, 0
  if window == index then current = tonumber(h[2]); previous = tonumber(h[3])
  elseif window == index - 1 then previous = tonumber(h[2]) end
  local windowStart = index * W
  local left = windowStart + W - now
  local weighted = previous * left
  local function resetAt(count)
    if count > 0 then return windowStart + 2 * W end
    if previous > 0 then return windowStart + W end
    return now
  end
  local d = {}
  if c > L then
    d.resetAt = resetAt(current)
    return over(d, math.max(0, L - current - math.ceil(weighted / W)), W)
  end
  local need = math.max(c, 1)
  d.ok = weighted + (current + need) * W <= L * W
  local after = d.ok and current + c or current
  d.remaining = math.max(0, L - after - math.ceil(weighted / W))
  d.resetAt = resetAt(after)
  d.retry = d.ok and 0 or slidingRetry(L, W, current, previous, left, need)
  d.write = function()
    redis.call('HSET', st, 'w', index, 'c', after, 'p', previous)
    redis.call('PEXPIREAT', st, (index + 2) * W)
  end
  return d
end

REFUND['sliding-window'] = function(st, now, L, W, B, n)
  local h = redis.call('HMGET', st, 'w', 'c')
  if tonumber(h[1]) ~= math.floor(now / W) then return end
  redis.call('HSET', st, 'c', math.max(0, tonumber(h[2]) - n))
end
`;
