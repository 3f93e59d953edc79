import type { CacheStats } from "./cache-api.js";
import type { CacheError } from "./errors.js";
import { CacheEmitter, type CacheOperation, type DeleteEvent } from "./events.js";
import type { EvictionReason } from "./types.js";

/**
 * A cache's counters and its event emitter in one object, so the hit path touches a single field.
 * Counters are plain numbers; a payload is built only when someone listens.
 */
export class CacheMeter extends CacheEmitter {
  hits = 0;
  misses = 0;
  sets = 0;
  deletes = 0;
  evictions = 0;
  errors = 0;

  hit(key: string, stale: boolean): void {
    this.hits++;
    if (this.hitListened) this.emit("hit", { key, stale });
  }

  miss(key: string): void {
    this.misses++;
    if (this.has("miss")) this.emit("miss", { key });
  }

  /** A value was stored with `ttl` seconds to live. */
  wrote(key: string, ttl: number): void {
    this.sets++;
    if (this.has("set")) this.emit("set", { key, ttl });
  }

  /** Entries were removed on request; `clear` carries no count and is not counted. */
  deleted(event: DeleteEvent): void {
    if (event.operation !== "clear") this.deletes += event.count;
    this.emit("delete", event);
  }

  evicted(key: string, reason: EvictionReason): void {
    if (reason === "capacity") this.evictions++;
    this.emit("evict", { key, reason });
  }

  report(error: CacheError, operation: CacheOperation, key?: string): void {
    this.errors++;
    this.emit("error", key === undefined ? { error, operation } : { error, operation, key });
  }

  stats(size: number | undefined): CacheStats {
    const reads = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      hitRatio: reads === 0 ? 0 : this.hits / reads,
      sets: this.sets,
      deletes: this.deletes,
      evictions: this.evictions,
      errors: this.errors,
      size,
    };
  }
}
