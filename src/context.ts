import type { RuleTrial } from "./admin/index.ts";
import type { Authenticator } from "./auth/index.ts";
import type { CatalogStore } from "./catalog/index.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/index.ts";
import type { DirectoryService, ImpactEstimator } from "./directory/index.ts";
import type { EvidenceSource } from "./evidence/index.ts";
import type { Logger } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import type { RuleEvaluator } from "./rules/index.ts";
import type { Tracing } from "./telemetry/index.ts";

/**
 * Everything a route may use, built once in the composition root (src/server.ts) or a test,
 * and handed to each domain's routes: no module reaches another's state through a global.
 */
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
  /** Set when OTEL_EXPORTER_OTLP_ENDPOINT is: request, evidence, SAP, evaluation and tree spans. */
  tracing?: Tracing;
  /** The employee directory copy (src/directory): sync, status, reads. */
  directory: DirectoryService;
  /** Rule impact estimates over the directory copy, in sandboxes of their own. */
  impact: ImpactEstimator;
}
