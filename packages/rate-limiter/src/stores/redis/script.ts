import { createHash } from "node:crypto";
import type { CommandSender } from "./command.js";

/** A Lua script with its SHA1, the name Redis caches it under. */
export interface LuaScript {
  /** The Lua source. */
  readonly source: string;
  /** Lowercase hex SHA1 of `source`, as `SCRIPT LOAD` returns it. */
  readonly sha: string;
}

/** Wraps Lua source with its SHA1. */
export function luaScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/** Whether a reply error says the script is not in the server's script cache. */
export function isNoScriptError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return message.startsWith("NOSCRIPT");
}

/**
 * Runs `script` with one `EVALSHA`. Only when Redis answers `NOSCRIPT` (a restart, a failover, a
 * `SCRIPT FLUSH`) does it send the source with `EVAL`, which also caches it again: NOSCRIPT
 * guarantees the script did not run. Any other error (a timeout, a closed socket) is thrown as is and
 * never retried, because the script may have run and a second run would count the request twice.
 */
export async function runScript(
  send: CommandSender,
  script: LuaScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args];
  try {
    return await send(["EVALSHA", script.sha, ...tail], keys[0]);
  } catch (error) {
    if (!isNoScriptError(error)) throw error;
    return send(["EVAL", script.source, ...tail], keys[0]);
  }
}
