import { Elysia } from "elysia";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { errorResponses } from "./errors.ts";

const HealthSchema = z.object({ status: z.literal("ok") });
const ReadySchema = z.object({
  status: z.enum(["ready", "not_ready"]),
  database: z.boolean(),
  catalog_version: z.number().nullable(),
  rules: z.number().int(),
  broken_rules: z.array(z.string()),
});

export function opsRoutes(ctx: AppContext) {
  return new Elysia({ tags: ["operations"] })
    .get("/healthz", () => ({ status: "ok" as const }), {
      response: { 200: HealthSchema },
      detail: { summary: "The process is up" },
    })
    .get(
      "/readyz",
      async ({ status }) => {
        const snapshot = ctx.catalog.snapshot;
        const database = await ctx.database.ping();
        const body = {
          status: snapshot && database ? ("ready" as const) : ("not_ready" as const),
          database,
          catalog_version: snapshot?.version ?? null,
          rules: snapshot?.ruleset.rules.length ?? 0,
          broken_rules: snapshot ? [...snapshot.ruleset.broken.keys()] : [],
        };
        return body.status === "ready" ? body : status(503, body);
      },
      {
        response: { 200: ReadySchema, 503: ReadySchema },
        detail: { summary: "Database reachable and a compiled catalog snapshot in place" },
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
