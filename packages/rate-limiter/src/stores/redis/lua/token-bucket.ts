/**
 * Lua for `token-bucket` (see `algorithms/token-bucket.ts`): state `{ t = tokens, u = updatedAt }` in a
 * hash; a missing key is a full bucket, so the state expires once the bucket would be full again.
 */
export const tokenBucketLua = `
DECIDE['token-bucket'] = function(st, now, L, W, B, c)
  local h = redis.call('HMGET', st, 't', 'u')
  local tokens, updated = tonumber(h[1]), tonumber(h[2])
  if not tokens then tokens = B else tokens = math.min(B, tokens + (now - updated) * L / W) end
  local need = math.max(c, 1)
  local d = { over = need > B }
  d.ok = (not d.over) and tokens >= need
  local after = tokens
  if d.ok and c > 0 then after = tokens - c end
  d.remaining = math.floor(after)
  d.resetAt = now + math.ceil((B - after) * W / L)
  if d.ok then d.retry = 0 elseif d.over then d.retry = W else d.retry = math.ceil((need - tokens) * W / L) end
  d.write = function()
    redis.call('HSET', st, 't', num(after), 'u', now)
    redis.call('PEXPIREAT', st, d.resetAt)
  end
  return d
end

REFUND['token-bucket'] = function(st, now, L, W, B, n)
  local h = redis.call('HMGET', st, 't', 'u')
  local tokens, updated = tonumber(h[1]), tonumber(h[2])
  if not tokens then return end
  tokens = math.min(B, tokens + n)
  redis.call('HSET', st, 't', num(tokens))
  redis.call('PEXPIREAT', st, updated + math.ceil((B - tokens) * W / L))
end
`;
