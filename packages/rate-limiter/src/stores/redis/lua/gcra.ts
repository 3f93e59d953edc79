/**
 * Lua for `gcra`, the same transitions as `algorithms/gcra.ts` (read that file first), in the same
 * exact arithmetic: the theoretical arrival time as whole ms `t` plus `f / limit` ms, in a hash,
 * expiring at the TAT (after which a missing key means the same).
 */
export const gcraLua = `
local function ceilTat(ms, frac) return frac > 0 and ms + 1 or ms end

-- Unit requests admissible at now with the TAT at tat + frac / L: floor(B - (TAT - now) / T), in [0, B].
local function gcraRemaining(now, tat, frac, L, W, B)
  local left = B + math.floor(((now - tat) * L - frac) / W)
  if left < 0 then return 0 end
  if left > B then return B end
  return left
end

DECIDE['gcra'] = function(st, now, L, W, B, c)
  local h = redis.call('HMGET', st, 't', 'f')
  local stored = tonumber(h[1])
  local future = stored ~= nil and stored >= now
  local tat = future and stored or now
  local frac = future and tonumber(h[2]) or 0
  local d = {}
  if c > B then
    d.resetAt = ceilTat(tat, frac)
    return over(d, gcraRemaining(now, tat, frac, L, W, B), W)
  end
  local offset = frac + (math.max(c, 1) - B) * W
  local whole = math.floor(offset / L)
  local allowAt = tat + whole
  local allowFrac = offset - whole * L
  d.ok = now > allowAt or (now == allowAt and allowFrac == 0)
  local afterTat, afterFrac = tat, frac
  if d.ok and c > 0 then
    local moved = frac + c * W
    local carry = math.floor(moved / L)
    afterTat = tat + carry
    afterFrac = moved - carry * L
  end
  d.remaining = gcraRemaining(now, afterTat, afterFrac, L, W, B)
  d.resetAt = ceilTat(afterTat, afterFrac)
  d.retry = d.ok and 0 or ceilTat(allowAt, allowFrac) - now
  d.write = function()
    redis.call('HSET', st, 't', afterTat, 'f', afterFrac)
    redis.call('PEXPIREAT', st, d.resetAt)
  end
  return d
end

REFUND['gcra'] = function(st, now, L, W, B, n)
  local h = redis.call('HMGET', st, 't', 'f')
  local tat, frac = tonumber(h[1]), tonumber(h[2]) or 0
  if tat == nil or tat < now or (tat == now and frac == 0) then return end
  local moved = frac - n * W
  local carry = math.floor(moved / L)
  if tat + carry < now then redis.call('DEL', st) return end
  tat = tat + carry
  frac = moved - carry * L
  redis.call('HSET', st, 't', tat, 'f', frac)
  redis.call('PEXPIREAT', st, ceilTat(tat, frac))
end
`;
