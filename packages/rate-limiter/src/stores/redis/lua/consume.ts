import { luaScript } from "../script.js";
import { fixedWindowLua } from "./fixed-window.js";
import { gcraLua } from "./gcra.js";
import { preludeLua } from "./prelude.js";
import { slidingWindowLua } from "./sliding-window.js";
import { tokenBucketLua } from "./token-bucket.js";

/** How many ARGV entries describe one policy after the cost: algorithm, limit, windowMs, burst, blockMs. */
export const POLICY_ARGS = 5;

/**
 * One decision for every policy of a key, atomically (Redis runs a script alone).
 *
 * KEYS: for policy i (1-based), `KEYS[2i-1]` its state and `KEYS[2i]` its block.
 * ARGV: cost, then per policy: algorithm, limit, windowMs, burst, blockMs.
 * Reply: `{ now, then per policy: allowed (1/0), remaining, resetAt, retryAfterMs, blockedUntil (0: none) }`,
 * integers only (Lua numbers are truncated on the way out, so every value is rounded here on purpose).
 *
 * Every policy decides first; only when all admit (and cost > 0) does any state change, so a refused
 * request never consumes. When some refuse, a policy that admitted reports what it has left (a peek),
 * and each policy that refused on its limit (not on a block it already had, not on a cost above its
 * capacity) and has a `blockMs` gets blocked: `{ remaining 0, resetAt = blockedUntil, retryAfterMs = blockMs }`.
 * These are the transitions of `memoryStore` (`stores/memory.ts`), step for step.
 */
export const consumeLua = `${preludeLua}${fixedWindowLua}${slidingWindowLua}${tokenBucketLua}${gcraLua}
local cost = tonumber(ARGV[1])
local n = (#ARGV - 1) / ${POLICY_ARGS}
local decisions, all = {}, true
for i = 1, n do
  local a = 1 + (i - 1) * ${POLICY_ARGS}
  local L, W, B = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local blockedUntil = tonumber(redis.call('GET', KEYS[2 * i]))
  local d
  if blockedUntil and blockedUntil > now then
    d = { ok = false, over = false, blocked = blockedUntil, remaining = 0, resetAt = blockedUntil, retry = blockedUntil - now }
  else
    d = DECIDE[ARGV[a + 1]](KEYS[2 * i - 1], now, L, W, B, cost)
  end
  d.blockMs = tonumber(ARGV[a + 5])
  d.peek = function() return DECIDE[ARGV[a + 1]](KEYS[2 * i - 1], now, L, W, B, 0) end
  decisions[i] = d
  if not d.ok then all = false end
end
if cost > 0 then
  for i = 1, n do
    local d = decisions[i]
    if all then
      d.write()
    elseif d.ok then
      -- Admitted here but refused by another policy: nothing was spent, so report what is left.
      local left = d.peek()
      d.remaining = left.remaining
      d.resetAt = left.resetAt
    elseif not d.ok and not d.over and not d.blocked and d.blockMs > 0 then
      d.blocked = now + d.blockMs
      redis.call('SET', KEYS[2 * i], d.blocked, 'PX', d.blockMs)
      d.remaining = 0
      d.resetAt = d.blocked
      d.retry = d.blockMs
    end
  end
end
local reply = { now }
for i = 1, n do
  local d = decisions[i]
  reply[#reply + 1] = d.ok and 1 or 0
  reply[#reply + 1] = d.remaining
  reply[#reply + 1] = d.resetAt
  reply[#reply + 1] = d.retry
  reply[#reply + 1] = d.blocked or 0
end
return reply
`;

/** The consume script with its SHA1, ready for `runScript`. */
export const consumeScript = luaScript(consumeLua);
