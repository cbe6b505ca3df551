import { Elysia } from "elysia";
import type { AppContext } from "../context.ts";
import { auditRoutes } from "./audit/routes.ts";
import { componentRoutes } from "./components/routes.ts";
import { impactRoutes } from "./directory/impact-routes.ts";
import { directoryRoutes } from "./directory/routes.ts";
import { importRoutes } from "./import/routes.ts";
import { previewRoutes } from "./preview/routes.ts";
import { ruleRoutes } from "./rules/routes.ts";
import { adminUiRoutes } from "./ui/routes.ts";

export { recordRuleRevision, writeRuleRow } from "./rules/service.ts";
export type { RuleTrial } from "./trial/runner.ts";
export { createRuleTrial } from "./trial/runner.ts";
export type { EvidenceForTrial, TrialSampleSource } from "./trial/sources.ts";
export { directorySampleSource, trialSampleSources } from "./trial/sources.ts";

/**
 * The admin API of docs/api.md and its web UI, under /admin. Every data route authenticates
 * itself (adminAuth in each module); the UI's static files need no token.
 */
export function adminRoutes(ctx: AppContext) {
  return new Elysia({ prefix: "/admin" })
    .use(adminUiRoutes())
    .use(ruleRoutes(ctx))
    .use(componentRoutes(ctx))
    .use(previewRoutes(ctx))
    .use(auditRoutes(ctx))
    .use(importRoutes(ctx))
    .use(directoryRoutes(ctx))
    .use(impactRoutes(ctx));
}
