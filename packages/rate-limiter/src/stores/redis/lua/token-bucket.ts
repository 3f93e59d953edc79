/**
 * Lua for `token-bucket`, the same transitions as `algorithms/token-bucket.ts` (read that file first),
 * in the same exact integer arithmetic (tokens scaled by `windowMs`): state `{ t = scaled tokens,
 * u = updatedAt }` in a hash. A missing key is a full bucket, so the key expires once it would be full.
 */
export const tokenBucketLua = `
-- Tokens x W at now: the stored amount plus L per elapsed ms, capped; a missing key is full.
local function scaledAt(tokens, updated, L, now, cap)
  if updated == nil then return cap end
  local elapsed = now - updated
  if elapsed <= 0 then return tokens end
  if elapsed >= (cap - tokens) / L then return cap end
  return tokens + elapsed * L
end

-- Stores the bucket with the expiry of algorithms/token-bucket.ts (when it is full again).
local function saveBucket(st, tokens, updated, L, cap)
  local expiresAt = updated + math.ceil((cap - tokens) / L)
  redis.call('HSET', st, 't', tokens, 'u', updated)
  redis.call('PEXPIREAT', st, expiresAt)
end

DECIDE['token-bucket'] = function(st, now, L, W, B, c)
  local h = redis.call('HMGET', st, 't', 'u')
  local updated = tonumber(h[2])
  local cap = B * W
  local tokens = scaledAt(tonumber(h[1]), updated, L, now, cap)
  local d = {}
  if c > B then
    d.resetAt = now + math.ceil((cap - tokens) / L)
    return over(d, math.floor(tokens / W), W)
  end
  local need = math.max(c, 1) * W
  d.ok = tokens >= need
  local after = d.ok and tokens - c * W or tokens
  d.remaining = math.floor(after / W)
  d.resetAt = now + math.ceil((cap - after) / L)
  d.retry = d.ok and 0 or math.ceil((need - tokens) / L)
  d.write = function()
    if updated == nil or now > updated then updated = now end
    saveBucket(st, after, updated, L, cap)
  end
  return d
end

REFUND['token-bucket'] = function(st, now, L, W, B, n)
  local h = redis.call('HMGET', st, 't', 'u')
  local updated = tonumber(h[2])
  if updated == nil then return end
  local cap = B * W
  local tokens = math.min(cap, scaledAt(tonumber(h[1]), updated, L, now, cap) + n * W)
  if now > updated then updated = now end
  if tokens >= cap then redis.call('DEL', st) else saveBucket(st, tokens, updated, L, cap) end
end
`;
