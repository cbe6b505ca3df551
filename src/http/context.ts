import type { RuleTrial } from "../admin/trial/runner.ts";
import type { Authenticator } from "../auth/index.ts";
import type { CatalogStore } from "../catalog/index.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/index.ts";
import type { EvidenceSource } from "../evidence/source.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { RuleEvaluator } from "../rules/index.ts";

/** Everything a route may use, built once in the composition root (src/main.ts) or a test. */
export interface AppContext {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  evidence: EvidenceSource;
  evaluator: RuleEvaluator;
  /** The trial at save: tries a rule version in a sandbox of its own before it goes live. */
  ruleTrial: RuleTrial;
  catalog: CatalogStore;
  auth: Authenticator;
  clock: () => Date;
}
