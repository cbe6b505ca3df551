/**
 * POST /admin/rules/impact and GET /admin/rules/:id/impact: a rule's reach over the directory
 * copy. The expression is checked as on save (an invalid one is 422 with line and column), the
 * saved rules it reads are compiled with it, and the estimate runs in the impact sandboxes.
 */
import { inArray } from "drizzle-orm";
import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { type Db, schema } from "../../db/index.ts";
import { ImpactQuerySchema, ImpactRequestSchema, ImpactResultSchema } from "../../directory/index.ts";
import type { Platform } from "../../evidence/index.ts";
import { errorResponses } from "../../http/index.ts";
import { compileRuleset, type RuleDefinition, ruleNameProblem } from "../../rules/index.ts";
import { adminAuth } from "../auth.ts";
import { IdParamsSchema } from "../parse.ts";
import { checkDraft, loadSavedRules, refuseUnlessValid, type SavedRule } from "../rules/check.ts";
import { findRuleRow } from "../rules/queries.ts";
import { dependencyClosure } from "../rules/trial.ts";

const security = [{ bearer: [] }];
const DOC =
  "Evaluated over every employee of the directory copy (GET /admin/directory) in sandboxes of their own, with " +
  "the CPU and memory limits of /user.tabs per employee: `matches` of `total`, `errors` (employees it fails " +
  "for, the first few in `first_errors`), a few employees it is true and false for, and when the copy was " +
  "synced. 503 while the directory has never been synced; 429 `busy` (Retry-After) when one estimate runs and four already wait.";

async function savedRules(db: Db, names: readonly string[]): Promise<RuleDefinition[]> {
  if (names.length === 0) return [];
  const rows = await db
    .select()
    .from(schema.rules)
    .where(inArray(schema.rules.name, [...names]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    expression: r.expression,
    appCodes: r.appCodes,
    version: r.version,
  }));
}

/** A name for the unsaved expression that no saved rule has. */
function candidateName(others: readonly SavedRule[]): string {
  const taken = new Set(others.map((r) => r.name));
  for (let n = 0; ; n++) {
    const name = n === 0 ? "impact_candidate" : `impact_candidate_${n}`;
    if (!taken.has(name) && !ruleNameProblem(name)) return name;
  }
}

export function impactRoutes(ctx: AppContext) {
  const { db } = ctx.database;
  const estimate = async (rules: RuleDefinition[], target: string, platform: Platform | undefined) =>
    ctx.impact.estimate(compileRuleset(rules), target, platform ?? "web");

  return new Elysia({ prefix: "/rules", tags: ["admin"] })
    .use(adminAuth(ctx.auth))
    .post(
      "/impact",
      async ({ body }) => {
        const others = await loadSavedRules(db);
        const name = candidateName(others);
        const draft = {
          name,
          kind: "expression" as const,
          expression: body.expression,
          appCodes: [],
          enabled: true,
        };
        const check = checkDraft(draft, others);
        refuseUnlessValid(check);
        const dependencies = await savedRules(db, dependencyClosure(check.rules, others));
        const candidate: RuleDefinition = { id: 0, version: 1, ...draft };
        return estimate([...dependencies, candidate], name, body.platform);
      },
      {
        parse: "json",
        body: ImpactRequestSchema,
        response: { 200: ImpactResultSchema, ...errorResponses(400, 401, 403, 413, 422, 429, 503) },
        detail: { summary: "Whom an unsaved rule expression would reach", description: DOC, security },
      },
    )
    .get(
      "/:id/impact",
      async ({ params, query }) => {
        const row = await findRuleRow(db, params.id);
        const others = await loadSavedRules(db);
        const names = dependencyClosure(row.dependsOn, others).filter((n) => n !== row.name);
        const rule: RuleDefinition = {
          id: row.id,
          name: row.name,
          kind: row.kind,
          expression: row.expression,
          appCodes: row.appCodes,
          version: row.version,
        };
        return estimate([...(await savedRules(db, names)), rule], row.name, query.platform);
      },
      {
        params: IdParamsSchema,
        query: ImpactQuerySchema,
        response: { 200: ImpactResultSchema, ...errorResponses(400, 401, 403, 404, 429, 503) },
        detail: { summary: "Whom a saved rule reaches", description: DOC, security },
      },
    );
}
