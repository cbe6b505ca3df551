import { Elysia } from "elysia";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import type { EvidenceHealth } from "../evidence/index.ts";
import { errorResponses } from "./errors.ts";

const HealthSchema = z.object({ status: z.literal("ok") });
const ReadySchema = z.object({
  status: z
    .enum(["ready", "degraded", "not_ready"])
    .describe(
      "ready; degraded: serving, but SAP fails (cached evidence is served) or Redis is away; " +
        "not_ready (503): no database or no compiled catalog snapshot",
    ),
  database: z.boolean(),
  catalog_version: z.number().nullable(),
  rules: z.number().int(),
  broken_rules: z.array(z.string()),
  sap: z
    .object({
      status: z.enum(["up", "failing"]),
      circuit: z.enum(["closed", "open", "half_open"]),
      last_success_at: z.string().nullable(),
      last_failure_at: z.string().nullable(),
      demo: z.boolean().describe("the built-in demo SAP directory (SAP_BASE_URL unset)"),
    })
    .nullable(),
  redis: z.enum(["not_configured", "connected", "disconnected"]),
});
type Ready = z.infer<typeof ReadySchema>;

/** A readiness probe must answer within its own timeout even when the database hangs. */
const DATABASE_PING_TIMEOUT_MS = 2000;

export function opsRoutes(ctx: AppContext) {
  return new Elysia({ tags: ["operations"] })
    .get("/healthz", () => ({ status: "ok" as const }), {
      response: { 200: HealthSchema },
      detail: { summary: "The process is up" },
    })
    .get(
      "/readyz",
      async ({ status }) => {
        const body = await readiness(ctx);
        return body.status === "not_ready" ? status(503, body) : body;
      },
      {
        response: { 200: ReadySchema, 503: ReadySchema },
        detail: {
          summary: "Ready to serve: database reachable and a compiled catalog snapshot in place",
          description:
            "200 `ready`, or 200 `degraded` while SAP fails or Redis is away (the service still " +
            "serves, from cached evidence); 503 `not_ready` without database or catalog snapshot.",
        },
      },
    )
    .get(
      "/metrics",
      async ({ set }) => {
        set.headers["content-type"] = ctx.metrics.registry.contentType;
        return ctx.metrics.registry.metrics();
      },
      {
        response: { 200: z.string().describe("Prometheus text exposition"), ...errorResponses(500) },
        detail: { summary: "Prometheus metrics" },
      },
    );
}

async function readiness(ctx: AppContext): Promise<Ready> {
  const snapshot = ctx.catalog.snapshot;
  const database = await withTimeout(ctx.database.ping(), DATABASE_PING_TIMEOUT_MS, false);
  const health = ctx.evidence.health?.();
  const sap = health ? sapStatus(health.sap) : null;
  const redis = health?.redis ?? "not_configured";
  const serving = Boolean(snapshot) && database;
  const degraded = sap?.status === "failing" || redis === "disconnected";
  return {
    status: !serving ? "not_ready" : degraded ? "degraded" : "ready",
    database,
    catalog_version: snapshot?.catalogVersion ?? null,
    rules: snapshot?.ruleset.rules.length ?? 0,
    broken_rules: snapshot ? [...snapshot.ruleset.broken.keys()] : [],
    sap,
    redis,
  };
}

/** Failing: the circuit is not closed, or SAP's last answer was a failure. */
function sapStatus(sap: EvidenceHealth["sap"]): NonNullable<Ready["sap"]> {
  const lastFailed =
    sap.lastFailureAt !== null && (sap.lastSuccessAt === null || sap.lastFailureAt > sap.lastSuccessAt);
  return {
    status: sap.circuit !== "closed" || lastFailed ? "failing" : "up",
    circuit: sap.circuit,
    last_success_at: sap.lastSuccessAt?.toISOString() ?? null,
    last_failure_at: sap.lastFailureAt?.toISOString() ?? null,
    demo: sap.demo,
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
