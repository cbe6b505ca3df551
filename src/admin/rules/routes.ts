import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";
import { errorResponses } from "../../http/index.ts";
import { adminAuth } from "../auth.ts";
import { etagOf, optionalIfMatch, requireIfMatch } from "../concurrency.ts";
import { withKnownValueWarnings } from "../directory/known-value-warnings.ts";
import { IfMatchHeadersSchema, OptionalIfMatchHeadersSchema } from "../fields.ts";
import { IdParamsSchema } from "../parse.ts";
import { CHANGE_HEADERS_DOC, changeHeaders } from "../responses.ts";
import { validateRule } from "./check.ts";
import { getRule, listRevisions, listRules } from "./queries.ts";
import {
  RollbackRequestSchema,
  RuleInputSchema,
  RuleRevisionSchema,
  RuleSchema,
  ValidateRequestSchema,
  ValidateResultSchema,
} from "./schemas.ts";
import { createRule, deleteRule, rollbackRule, updateRule } from "./service.ts";
import { ruleVocabulary, VocabularySchema } from "./vocabulary.ts";

const security = [{ bearer: [] }];

const TRIAL_DOC =
  "An enabled rule is then tried (the trial at save): run with the rules it reads over a fixed sample of " +
  "employees, it is 422 `rule_trial_failed` with `details: [{message, personnel_number, kind}]` when for " +
  "any one of them it overruns its CPU budget, runs out of memory, hangs or crashes the sandbox, or when " +
  "it fails for every one of them; failing for some, or being true (false) for all, is accepted with " +
  "`warnings` in the answer.";

export function ruleRoutes(ctx: AppContext) {
  const { db } = ctx.database;
  const change = { db, trial: ctx.ruleTrial };
  return new Elysia({ prefix: "/rules", tags: ["admin"] })
    .use(adminAuth(ctx.auth))
    .get("", () => listRules(db), {
      response: { 200: RuleSchema.array(), ...errorResponses(401, 403) },
      detail: { summary: "List rules (by name)", security },
    })
    .post(
      "",
      async ({ body, admin, set }) => {
        const committed = await createRule(change, admin.actor, body);
        changeHeaders(set.headers, committed);
        set.headers.location = `/admin/rules/${committed.result.id}`;
        set.status = 201;
        return committed.result;
      },
      {
        parse: "json",
        body: RuleInputSchema,
        response: { 201: RuleSchema, ...errorResponses(400, 401, 403, 409, 413, 422, 503) },
        detail: {
          summary: "Create a rule",
          description:
            "The expression is checked as on every save (syntax, variables, rule names, cycles): an invalid one " +
            'is 422 `invalid_rule` with `details: [{message, line, column}]`. A taken name is 409. `kind: "lk1"` ' +
            `with \`app_codes\` creates a legacy LK1 rule. ${TRIAL_DOC} ${CHANGE_HEADERS_DOC}`,
          security,
        },
      },
    )
    .get("/vocabulary", () => ruleVocabulary(db), {
      response: { 200: VocabularySchema, ...errorResponses(401, 403) },
      detail: {
        summary: "What a rule may name, for the editor's completion",
        description:
          "Every employee variable (type, example value, doc), every helper (signature, doc) and every rule " +
          "(name, title). The docs are Russian, like the admin UI.",
        security,
      },
    })
    .post(
      "/validate",
      async ({ body }) =>
        withKnownValueWarnings(ctx.directory.values, body, await validateRule(db, ctx.ruleTrial, body)),
      {
        parse: "json",
        body: ValidateRequestSchema,
        response: { 200: ValidateResultSchema, ...errorResponses(400, 401, 403, 413, 422, 503) },
        detail: {
          summary: "Check an expression without saving it",
          description:
            "The check made on save, for live validation as the admin types. Always 200 for a well-formed request; " +
            "`valid: false` lists the problems with line and column. Give `name` when editing an existing rule. " +
            "When the check passes, the trial made on save runs too (≤ 1 s): `trial` is its result (`trial.passed: " +
            "false` with `trial.problems` is what a save would refuse with 422 `rule_trial_failed`), and `warnings` " +
            "its warnings.",
          security,
        },
      },
    )
    .get(
      "/:id",
      async ({ params, set }) => {
        const rule = await getRule(db, params.id);
        set.headers.etag = etagOf(rule.version);
        return rule;
      },
      {
        params: IdParamsSchema,
        response: { 200: RuleSchema, ...errorResponses(400, 401, 403, 404) },
        detail: { summary: "One rule", security },
      },
    )
    .put(
      "/:id",
      async ({ params, body, headers, admin, set }) => {
        const expectedRuleVersion = requireIfMatch(headers["if-match"]);
        const committed = await updateRule(change, admin.actor, { id: params.id, expectedRuleVersion, body });
        changeHeaders(set.headers, committed);
        return committed.result;
      },
      {
        parse: "json",
        params: IdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: RuleInputSchema,
        response: { 200: RuleSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 422, 428, 503) },
        detail: {
          summary: "Change a rule",
          description:
            "Needs `If-Match: <version>` (428 without it, 409 when someone changed the rule since). Renaming a " +
            "rule other rules refer to, or disabling one still in use, is 409 naming the users. Every change " +
            `stores a revision. ${TRIAL_DOC} ${CHANGE_HEADERS_DOC}`,
          security,
        },
      },
    )
    .delete(
      "/:id",
      async ({ params, headers, admin, set }) => {
        const expectedRuleVersion = optionalIfMatch(headers["if-match"]);
        const committed = await deleteRule(db, admin.actor, { id: params.id, expectedRuleVersion });
        set.headers["x-catalog-version"] = String(committed.catalogVersion);
        return committed.result;
      },
      {
        params: IdParamsSchema,
        headers: OptionalIfMatchHeadersSchema,
        response: {
          200: RuleSchema.describe("The rule as it was"),
          ...errorResponses(400, 401, 403, 404, 409),
        },
        detail: {
          summary: "Delete a rule",
          description:
            "Answers the rule as it was. 409 naming the components and enabled rules that still use it. " +
            "Its revisions go with it; the audit log keeps it.",
          security,
        },
      },
    )
    .get("/:id/revisions", ({ params }) => listRevisions(db, params.id), {
      params: IdParamsSchema,
      response: { 200: RuleRevisionSchema.array(), ...errorResponses(400, 401, 403, 404) },
      detail: { summary: "A rule's past versions, newest first", security },
    })
    .post(
      "/:id/rollback",
      async ({ params, body, headers, admin, set }) => {
        const expectedRuleVersion = optionalIfMatch(headers["if-match"]);
        const committed = await rollbackRule(change, admin.actor, {
          id: params.id,
          expectedRuleVersion,
          body,
        });
        changeHeaders(set.headers, committed);
        return committed.result;
      },
      {
        parse: "json",
        params: IdParamsSchema,
        headers: OptionalIfMatchHeadersSchema,
        body: RollbackRequestSchema,
        response: { 200: RuleSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 422, 503) },
        detail: {
          summary: "Make a past version current again",
          description:
            "Creates a new version equal to the given revision, checked like any change: a revision that " +
            `refers to a rule deleted since is 422. ${TRIAL_DOC} ${CHANGE_HEADERS_DOC}`,
          security,
        },
      },
    );
}
