import { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import type { Logger } from "../log.ts";
import { LogThrottle } from "./log-throttle.ts";
import { compactEvidence } from "./map.ts";
import { type EmployeeEvidence, EmployeeEvidenceSchema } from "./schema.ts";

/**
 * What we remember about one employee: the evidence SAP gave us, or that SAP said "no such
 * employee" (negative entry). `fetchedAt` is wall-clock ms; freshness is decided by the caller.
 */
export type CacheEntry =
  | { kind: "found"; evidence: EmployeeEvidence; fetchedAt: number }
  | { kind: "unknown"; fetchedAt: number };

export interface CacheTier {
  get(pernr: string): Promise<CacheEntry | undefined>;
  /** `ttlS`: how long the entry is worth keeping at all (max stale age, or the negative TTL). */
  set(pernr: string, entry: CacheEntry, ttlS: number): Promise<void>;
  close(): Promise<void>;
}

/** In-process LRU bounded by entry count (EVIDENCE_CACHE_SIZE). */
export class MemoryTier implements CacheTier {
  private readonly lru: LRUCache<string, CacheEntry>;

  constructor(maxEntries: number) {
    // Ages are judged by the caller's clock (fetchedAt), so the LRU itself has no TTL.
    this.lru = new LRUCache({ max: maxEntries });
  }

  get size(): number {
    return this.lru.size;
  }

  async get(pernr: string): Promise<CacheEntry | undefined> {
    return this.getSync(pernr);
  }

  /** The same read without a promise (it counts as a use for the LRU, like `get`). */
  getSync(pernr: string): CacheEntry | undefined {
    return this.lru.get(pernr);
  }

  /** Up to `limit` cached employees, most recently used first (for the admin's trial at save). */
  recent(limit: number): EmployeeEvidence[] {
    const found: EmployeeEvidence[] = [];
    for (const entry of this.lru.values()) {
      if (found.length >= limit) break;
      if (entry.kind === "found") found.push(entry.evidence);
    }
    return found;
  }

  async set(pernr: string, entry: CacheEntry): Promise<void> {
    this.lru.set(pernr, entry);
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}

const RedisEntrySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("found"), evidence: EmployeeEvidenceSchema, fetchedAt: z.number() }),
  z.object({ kind: z.literal("unknown"), fetchedAt: z.number() }),
]);

export interface RedisTierOptions {
  url: string;
  /** Prefix of every key; tests use a unique one per run. */
  keyPrefix: string;
  /** A sick Redis must not hold a lookup for long: commands give up after this. */
  commandTimeoutMs: number;
  logger: Logger;
  now: () => number;
}

/**
 * The shared tier: one JSON value per employee (`{kind, evidence?, fetchedAt}`) with a Redis
 * TTL. Every failure is swallowed (logged, throttled) and reads as a miss: Redis is an
 * optimisation and must never fail a lookup. Commands are not queued while disconnected, so a
 * down Redis costs nothing but a log line.
 */
export class RedisTier implements CacheTier {
  private readonly redis: Redis;
  private readonly logs: LogThrottle;

  private constructor(private readonly options: RedisTierOptions) {
    this.logs = new LogThrottle(options.logger, 30_000, options.now);
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 250, 5000),
    });
    this.redis.on("error", (error) => this.warn("connection", error));
  }

  /** Connects (briefly awaited); starts even when Redis is down, and keeps reconnecting. */
  static async connect(options: RedisTierOptions): Promise<RedisTier> {
    const tier = new RedisTier(options);
    try {
      await tier.redis.connect();
    } catch (error) {
      tier.warn("connect", error);
    }
    return tier;
  }

  async get(pernr: string): Promise<CacheEntry | undefined> {
    let raw: string | null;
    try {
      raw = await this.redis.get(this.key(pernr));
    } catch (error) {
      this.warn("get", error);
      return undefined;
    }
    if (raw === null) return undefined;
    try {
      const parsed = RedisEntrySchema.safeParse(JSON.parse(raw));
      // An entry written by another version of the schema is a miss, not an error.
      if (parsed.success) {
        const entry = parsed.data;
        // It goes into the memory tier: as compact and immutable as evidence decoded from SAP.
        return entry.kind === "found" ? { ...entry, evidence: compactEvidence(entry.evidence) } : entry;
      }
    } catch {
      // not JSON: same as a miss
    }
    this.options.logger.debug("evidence cache: unreadable Redis entry ignored", { pernr });
    return undefined;
  }

  async set(pernr: string, entry: CacheEntry, ttlS: number): Promise<void> {
    try {
      await this.redis.set(this.key(pernr), JSON.stringify(entry), "EX", Math.max(1, Math.ceil(ttlS)));
    } catch (error) {
      this.warn("set", error);
    }
  }

  /** Connected now (the tier reconnects by itself while it is not). */
  get connected(): boolean {
    return this.redis.status === "ready";
  }

  async close(): Promise<void> {
    if (this.redis.status === "ready") {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }

  private key(pernr: string): string {
    return `${this.options.keyPrefix}${pernr}`;
  }

  private warn(operation: string, error: unknown): void {
    this.logs.log(`redis:${operation}`, "warn", "evidence cache: Redis unavailable, using SAP directly", {
      operation,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * The in-memory LRU in front of the optional shared tier. A read that finds nothing fresh in
 * memory asks Redis and keeps whichever entry is newer; writes go to both.
 */
export class TieredCache {
  constructor(
    readonly memory: MemoryTier,
    private readonly shared: CacheTier | undefined,
    private readonly isFresh: (entry: CacheEntry) => boolean,
  ) {}

  async get(pernr: string): Promise<CacheEntry | undefined> {
    return (await this.find(pernr))?.entry;
  }

  /** The entry, and the tier it came from (for the request's log line). */
  async find(pernr: string): Promise<{ entry: CacheEntry; tier: "memory" | "redis" } | undefined> {
    const local = this.memory.getSync(pernr);
    const inMemory = local && { entry: local, tier: "memory" as const };
    if ((local && this.isFresh(local)) || !this.shared) return inMemory;
    const remote = await this.shared.get(pernr);
    if (remote && (!local || remote.fetchedAt > local.fetchedAt)) {
      void this.memory.set(pernr, remote);
      return { entry: remote, tier: "redis" };
    }
    return inMemory;
  }

  async set(pernr: string, entry: CacheEntry, ttlS: number): Promise<void> {
    await this.memory.set(pernr, entry);
    await this.shared?.set(pernr, entry, ttlS);
  }

  async close(): Promise<void> {
    await this.shared?.close();
    await this.memory.close();
  }
}
