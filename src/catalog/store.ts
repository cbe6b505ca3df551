import { eq } from "drizzle-orm";
import type { Database } from "../db/index.ts";
import { schema } from "../db/index.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { RuleEvaluator } from "../rules/index.ts";
import { buildSnapshot, type CatalogSnapshot, loadCatalogData } from "./snapshot.ts";

export const CATALOG_CHANNEL = "lk_catalog";

export interface CatalogStoreDeps {
  database: Database;
  evaluator: RuleEvaluator;
  logger: Logger;
  metrics: Metrics;
  /** How often to compare catalog_state.version with the snapshot's, in case a NOTIFY was lost. */
  pollMs: number;
  clock?: () => Date;
}

/**
 * Holds the snapshot being served and replaces it when the catalog changes: on NOTIFY (sent by
 * the catalog_state trigger when an admin transaction commits), on a periodic version check,
 * or on demand. The old snapshot keeps serving until the new one is compiled and loaded into
 * the sandboxes; a failed rebuild keeps the old one.
 */
export class CatalogStore {
  private current: CatalogSnapshot | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly swapListeners = new Set<(s: CatalogSnapshot) => void>();

  constructor(private readonly deps: CatalogStoreDeps) {}

  /** The snapshot being served, or null before the first build. */
  get snapshot(): CatalogSnapshot | null {
    return this.current;
  }

  async start(): Promise<void> {
    this.unlisten = await this.deps.database.listen(CATALOG_CHANNEL, () => void this.reload());
    this.timer = setInterval(() => void this.checkVersion(), this.deps.pollMs);
    await this.reload();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    await this.running;
  }

  /** Called with each snapshot swapped in (tests and the latency benchmark watch this). */
  onSwap(listener: (s: CatalogSnapshot) => void): () => void {
    this.swapListeners.add(listener);
    return () => this.swapListeners.delete(listener);
  }

  /**
   * Rebuilds from the database. Single-flight: a call during a rebuild schedules one more
   * rebuild after it, so a change committed mid-rebuild is never missed.
   */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.rebuild();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async checkVersion(): Promise<void> {
    try {
      const [state] = await this.deps.database.db
        .select({ version: schema.catalogState.version })
        .from(schema.catalogState)
        .where(eq(schema.catalogState.id, 1));
      if (state && state.version !== this.current?.version) await this.reload();
    } catch (error) {
      this.deps.logger.warn("catalog version check failed", { error: String(error) });
    }
  }

  private async rebuild(): Promise<void> {
    const { logger, metrics, evaluator } = this.deps;
    const started = performance.now();
    try {
      const data = await loadCatalogData(this.deps.database.db);
      if (this.current && data.version === this.current.version) return;
      const next = buildSnapshot(data, (this.deps.clock ?? (() => new Date()))());
      await evaluator.prepare(next.ruleset);
      const previous = this.current;
      this.current = next;
      metrics.catalogVersion.set(next.version);
      metrics.catalogRebuilds.inc({ outcome: "ok" });
      for (const [name, why] of next.ruleset.broken) {
        logger.error("rule cannot be compiled; it evaluates as false", { rule: name, reason: why });
      }
      logger.info("catalog snapshot swapped in", {
        version: next.version,
        previous: previous?.version ?? null,
        rules: next.ruleset.rules.length,
        sections: next.sections.length,
        ms: Math.round(performance.now() - started),
      });
      for (const listener of this.swapListeners) listener(next);
    } catch (error) {
      metrics.catalogRebuilds.inc({ outcome: "error" });
      logger.error("catalog rebuild failed; the previous snapshot keeps serving", {
        error: String(error),
        serving: this.current?.version ?? null,
      });
    }
  }
}
