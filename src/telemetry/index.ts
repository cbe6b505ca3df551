/**
 * Traces (OpenTelemetry over OTLP/HTTP JSON) when OTEL_EXPORTER_OTLP_ENDPOINT is set. The
 * composition root wraps the parts whose time matters: evidence lookups, SAP calls (with
 * `traceparent`), rule evaluation; the HTTP app opens a span per request and /user.tabs one
 * around building the tree. Unset, none of it exists.
 */
import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import type { EvidenceSource } from "../evidence/index.ts";
import type { Logger } from "../log.ts";
import type { RuleEvaluator } from "../rules/index.ts";
import { createTracing, type Tracing } from "./tracer.ts";

export type { Attributes, SpanKind, Tracing, TracingOptions } from "./tracer.ts";
export { createTracing } from "./tracer.ts";

/** Tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; undefined (nothing wrapped) otherwise. */
export function startTracing(config: Config, logger: Logger): Tracing | undefined {
  const endpoint = config.telemetry.otlpEndpoint;
  if (!endpoint) return undefined;
  logger.info("sending traces to the OTLP collector", { endpoint });
  return createTracing({ endpoint, serviceName: "lk-personalisation", logger });
}

/** The context the HTTP app serves with: traced evaluation, and the tracing for its hooks. */
export function traceContext(ctx: AppContext, tracing: Tracing): AppContext {
  return { ...ctx, evaluator: traceEvaluator(ctx.evaluator, tracing), tracing };
}

/** The same source, each lookup in an `evidence` span that says how it was answered. */
export function traceEvidence<T extends EvidenceSource>(source: T, tracing: Tracing): T {
  return {
    ...source,
    lookup: (pernr: string) =>
      tracing.span("evidence", {}, async () => {
        const result = await source.lookup(pernr);
        tracing.annotate({
          "lk.evidence": result.kind,
          "lk.evidence.stale": result.kind === "found" && result.stale,
        });
        return result;
      }),
  };
}

/** The same evaluator, each evaluation in an `evaluation` span with the rule count. */
export function traceEvaluator(evaluator: RuleEvaluator, tracing: Tracing): RuleEvaluator {
  return {
    prepare: (ruleset) => evaluator.prepare(ruleset),
    evaluate: (ruleset, evidence, report) =>
      tracing.span("evaluation", { "lk.rules": ruleset.rules.length }, async () => {
        const own = report ?? { source: "none" as const };
        const results = await evaluator.evaluate(ruleset, evidence, own);
        tracing.annotate({ "lk.evaluation": own.source });
        return results;
      }),
    close: () => evaluator.close(),
  };
}
