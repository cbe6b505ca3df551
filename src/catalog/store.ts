import type { Database } from "../db/index.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { createRuleCompileCache, type RuleEvaluator } from "../rules/index.ts";
import { buildSnapshot, type CatalogData, type CatalogSnapshot, loadCatalogData } from "./snapshot.ts";
import { readCatalogVersion } from "./version.ts";

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
 * the sandboxes, then the new one is swapped in whole (a request holds the snapshot it started
 * with, and the sandboxes keep the previous program loaded for it); a failed rebuild keeps the
 * old one. Rules are compiled with a cache the store owns, so a rebuild after one edit compiles
 * that rule only (the sandboxes, likewise, compile only rule units they do not hold yet).
 */
export class CatalogStore {
  private current: CatalogSnapshot | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly swapListeners = new Set<(s: CatalogSnapshot) => void>();
  private readonly compileCache = createRuleCompileCache();
  /** What the snapshot being served was built from (rule rows are read again only when changed). */
  private currentData: CatalogData | undefined;

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

  /** Rules compiled and reused across this store's rebuilds (see compile/rule.ts). */
  get compileStats(): { readonly compiled: number; readonly reused: number } {
    return { ...this.compileCache.stats };
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
      const catalogVersion = await readCatalogVersion(this.deps.database.db);
      if (catalogVersion !== this.current?.catalogVersion) await this.reload();
    } catch (error) {
      this.deps.logger.warn("catalog version check failed", { error: String(error) });
    }
  }

  private async rebuild(): Promise<void> {
    const { logger, metrics, evaluator } = this.deps;
    const started = performance.now();
    try {
      const data = await loadCatalogData(this.deps.database.db, this.currentData);
      if (this.current && data.catalogVersion === this.current.catalogVersion) return;
      const read = performance.now();
      const next = buildSnapshot(data, (this.deps.clock ?? (() => new Date()))(), this.compileCache);
      const compiled = performance.now();
      await evaluator.prepare(next.ruleset);
      const loaded = performance.now();
      const previous = this.current;
      this.current = next;
      this.currentData = data;
      metrics.catalogVersion.set(next.catalogVersion);
      metrics.catalogRebuilds.inc({ outcome: "ok" });
      for (const [name, why] of next.ruleset.broken) {
        logger.error("rule cannot be compiled; it evaluates as false", { rule: name, reason: why });
      }
      logger.info("catalog snapshot swapped in", {
        catalogVersion: next.catalogVersion,
        previous: previous?.catalogVersion ?? null,
        rules: next.ruleset.rules.length,
        sections: next.sections.length,
        ms: Math.round(performance.now() - started),
        // Where the time went: reading the catalog, compiling it, loading it into the sandboxes.
        read_ms: Math.round(read - started),
        compile_ms: Math.round(compiled - read),
        load_ms: Math.round(loaded - compiled),
      });
      for (const listener of this.swapListeners) listener(next);
    } catch (error) {
      metrics.catalogRebuilds.inc({ outcome: "error" });
      logger.error("catalog rebuild failed; the previous snapshot keeps serving", {
        error: String(error),
        serving: this.current?.catalogVersion ?? null,
      });
    }
  }
}
