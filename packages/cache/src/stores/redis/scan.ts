import type { RedisCommands } from "./command.js";
import { runScript, SCAN_BATCH } from "./scripts.js";

/** Escapes a literal (a prefix) for a Redis MATCH pattern: `*`, `?`, `[`, `]` and `\` lose their meaning. */
export function escapeMatch(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}

function parseBatch(reply: unknown): [cursor: string, items: unknown] {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new TypeError(`redisStore: expected a [cursor, batch] reply, got ${JSON.stringify(reply)}`);
  }
  return [String(reply[0]), reply[1]];
}

/** Yields the batches of `SCAN 0.. MATCH match COUNT count` until the cursor returns to 0. */
export async function* scanKeys(
  commands: RedisCommands,
  match: string,
  count: number,
): AsyncGenerator<string[], void, undefined> {
  let cursor = "0";
  do {
    const [next, keys] = parseBatch(
      await commands.send(["SCAN", cursor, "MATCH", match, "COUNT", String(count)]),
    );
    cursor = next;
    if (!Array.isArray(keys)) throw new TypeError("redisStore: SCAN answered a batch that is not a list");
    yield keys.map(String);
  } while (cursor !== "0");
}

/**
 * Walks `match` with one SCAN step per round trip, unlinking (or only counting) each batch on the
 * server, and resolves to the total. Work per call is one batch, so Redis keeps serving other clients
 * in between.
 */
export async function scanBatches(
  commands: RedisCommands,
  match: string,
  count: number,
  mode: "unlink" | "count",
): Promise<number> {
  let cursor = "0";
  let total = 0;
  do {
    const [next, n] = parseBatch(
      await runScript(commands, SCAN_BATCH, [], [cursor, match, mode, String(count)]),
    );
    cursor = next;
    total += Number(n);
  } while (cursor !== "0");
  return total;
}
