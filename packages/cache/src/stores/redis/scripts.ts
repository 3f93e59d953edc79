import { createHash } from "node:crypto";
import type { RedisArgument, RedisCommands } from "./command.js";

/** A Lua script with its SHA1, the name Redis caches it under. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function luaScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/**
 * Runs `script` with one `EVALSHA`; only when Redis answers `NOSCRIPT` (after a restart, a failover
 * or `SCRIPT FLUSH`) does it send the source with `EVAL`, which caches it again. `NOSCRIPT` means the
 * script did not run, so the retry never applies a write twice.
 */
export async function runScript(
  commands: RedisCommands,
  script: LuaScript,
  keys: readonly RedisArgument[],
  args: readonly RedisArgument[],
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args];
  try {
    return await commands.send(["EVALSHA", script.sha, ...tail]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!message.startsWith("NOSCRIPT")) throw error;
    return commands.send(["EVAL", script.source, ...tail]);
  }
}

/**
 * Stores an entry and adds it to its tag sets, atomically, in one round trip.
 * KEYS[1] the entry, KEYS[2..] its tag sets; ARGV[1] the envelope, ARGV[2] its lifetime in ms ("" =
 * no expiry). Each tag set lives as long as its longest-lived member (PTTL is -2 for a new set, -1
 * for one kept forever). Before adding, it drops up to 3 random members whose entries are gone: like
 * Redis's own expiry sampling, this keeps a tag that is written all the time (and so never expires)
 * near its live size instead of growing with every key it ever had.
 */
export const SET_TAGGED = luaScript(`
local px = tonumber(ARGV[2])
if px then redis.call('SET', KEYS[1], ARGV[1], 'PX', px) else redis.call('SET', KEYS[1], ARGV[1]) end
for i = 2, #KEYS do
  local tag = KEYS[i]
  for _, member in ipairs(redis.call('SRANDMEMBER', tag, 3)) do
    if redis.call('EXISTS', member) == 0 then redis.call('SREM', tag, member) end
  end
  local ttl = redis.call('PTTL', tag)
  redis.call('SADD', tag, KEYS[1])
  if not px then
    if ttl >= 0 then redis.call('PERSIST', tag) end
  elseif ttl == -2 or (ttl >= 0 and ttl < px) then
    redis.call('PEXPIRE', tag, px)
  end
end
return 1
`);

/**
 * One batch of `invalidateTags` for one tag. KEYS[1] the tag set; ARGV[1] the SSCAN cursor, ARGV[2]
 * the batch size, ARGV[3] the tag. A member is unlinked only if its entry still carries the tag: an
 * entry rewritten without it (or expired and rewritten) stays. Every visited member leaves the set;
 * members added while the scan runs are kept for a later call, so the set is never dropped whole.
 * Returns { next cursor, entries removed }. Headers are read with GETRANGE (1 KiB) so large values
 * are not copied; only an entry whose tags run past 1 KiB is read whole.
 */
export const INVALIDATE_TAG_BATCH = luaScript(`
local function carries(value, tag)
  local at = 1
  for _ = 1, 4 do
    local comma = string.find(value, ',', at, true)
    if not comma then return nil end
    at = comma + 1
  end
  local comma = string.find(value, ',', at, true)
  if not comma then return nil end
  local count = tonumber(string.sub(value, at, comma - 1)) or 0
  at = comma + 1
  for _ = 1, count do
    comma = string.find(value, ',', at, true)
    if not comma then return nil end
    local length = tonumber(string.sub(value, at, comma - 1))
    if not length or comma + length > #value then return nil end
    if string.sub(value, comma + 1, comma + length) == tag then return true end
    at = comma + 1 + length
  end
  return false
end
local scan = redis.call('SSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
local removed = 0
for _, member in ipairs(scan[2]) do
  local head = redis.call('GETRANGE', member, 0, 1023)
  if head ~= '' then
    local found = carries(head, ARGV[3])
    if found == nil and #head == 1024 then found = carries(redis.call('GET', member), ARGV[3]) end
    if found then removed = removed + redis.call('UNLINK', member) end
  end
  redis.call('SREM', KEYS[1], member)
end
return { scan[1], removed }
`);

/**
 * One SCAN step that only counts what it finds, so `size()` never transfers key names. ARGV[1]
 * cursor, ARGV[2] MATCH pattern, ARGV[3] COUNT. Returns { next cursor, keys found }.
 */
export const SCAN_COUNT = luaScript(`
local scan = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])
return { scan[1], #scan[2] }
`);
