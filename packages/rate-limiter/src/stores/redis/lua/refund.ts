import { luaScript } from "../script.js";
import { fixedWindowLua } from "./fixed-window.js";
import { gcraLua } from "./gcra.js";
import { preludeLua } from "./prelude.js";
import { slidingWindowLua } from "./sliding-window.js";
import { tokenBucketLua } from "./token-bucket.js";

/** How many ARGV entries describe one policy after the units: algorithm, limit, windowMs, burst. */
export const REFUND_POLICY_ARGS = 4;

/**
 * Gives `units` back to every policy of a key, atomically, never beyond capacity and never into state
 * that has expired (a refund cannot resurrect a window).
 *
 * KEYS: the state key of each policy, in order. ARGV: units, then per policy: algorithm, limit,
 * windowMs, burst. Reply: Redis's `TIME` in epoch ms when it ran (the store ignores it; tests use it).
 */
export const refundLua = `${preludeLua}${fixedWindowLua}${slidingWindowLua}${tokenBucketLua}${gcraLua}
local units = tonumber(ARGV[1])
local n = (#ARGV - 1) / ${REFUND_POLICY_ARGS}
for i = 1, n do
  local a = 1 + (i - 1) * ${REFUND_POLICY_ARGS}
  REFUND[ARGV[a + 1]](KEYS[i], now, tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4]), units)
end
return now
`;

/** The refund script with its SHA1, ready for `runScript`. */
export const refundScript = luaScript(refundLua);
