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
export function runScript(
  send: CommandSender,
  script: LuaScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  // One array for the whole command, filled in place (no spreads): this runs once per check.
  const command: string[] = new Array(3 + keys.length + args.length);
  command[0] = "EVALSHA";
  command[1] = script.sha;
  command[2] = String(keys.length);
  for (let i = 0; i < keys.length; i++) command[3 + i] = keys[i] as string;
  for (let i = 0; i < args.length; i++) command[3 + keys.length + i] = args[i] as string;
  const firstKey = keys[0];
  return send(command, firstKey).catch((error: unknown) => {
    if (!isNoScriptError(error)) throw error;
    command[0] = "EVAL";
    command[1] = script.source;
    return send(command, firstKey);
  });
}
