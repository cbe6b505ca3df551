import { Elysia } from "elysia";
import { z } from "zod";
import {
  AnswerCache,
  answerKey,
  resolveEmployee,
  ruleFacts,
  TabsRequestSchema,
  UserTabsSchema,
  visibleTabs,
} from "../catalog/index.ts";
import type { AppContext } from "../context.ts";
import { errorResponses } from "./errors.ts";
import { noteForLogLine } from "./wide-line.ts";

export const USER_TABS_ROUTE = "/user.tabs";

/**
 * Private: the answer is one employee's. no-cache: a browser may keep it, but asks again with
 * If-None-Match every time, so a catalog change shows at once and costs a 304 when it changes
 * nothing for this employee.
 */
const CACHE_CONTROL = "private, no-cache";

/** The query of GET /user.tabs, as validated (TabsRequestSchema). */
export type TabsQuery = z.infer<typeof TabsRequestSchema>;

/** Answers one GET /user.tabs; throws AppErrors (mapped to HTTP by whichever door it came in by). */
export type UserTabsAnswerer = (
  request: Request,
  query: TabsQuery,
  authorization: string | undefined,
  headers: Record<string, string>,
) => Promise<Response>;

/**
 * GET /user.tabs. The tree is a pure function of (snapshot, platform, query, the outcomes of the
 * rules components use, which banner windows are open): its serialised bytes are kept under
 * that key (src/catalog/answer.ts) and served as they are, with an ETag made from them. The
 * Response is built once, with `headers` (the request id, CORS) already in it.
 */
export function userTabsAnswerer(ctx: AppContext): UserTabsAnswerer {
  const { metrics } = ctx;
  const deps = {
    evidence: ctx.evidence,
    evaluator: ctx.evaluator,
    snapshot: () => ctx.catalog.snapshot,
    timeZone: ctx.config.timeZone,
  };
  const answers = new AnswerCache(ctx.config.answerCacheBytes);
  return async (request, query, authorization, headers) => {
    const watch = metrics.handlerBlocking.start(USER_TABS_ROUTE);
    try {
      const principal = ctx.auth.employee(authorization);
      watch.pause();
      const { personnelNumber } = await principal;
      watch.resume();
      const tabsRequest = { personnelNumber, ...query, now: ctx.clock() };
      const resolved = await resolveEmployee(deps, tabsRequest, watch);
      const { snapshot, results } = resolved;
      const facts = ruleFacts(snapshot, results);
      const key = answerKey(snapshot, facts, tabsRequest);
      const cached = answers.get(key);
      const tree = () => visibleTabs(snapshot, results, tabsRequest);
      const answer =
        cached ?? answers.put(key, ctx.tracing ? ctx.tracing.spanSync("tree", {}, tree) : tree());

      metrics.answerCache.inc({ outcome: cached ? "hit" : "miss" });
      metrics.ruleOutcomes.record(facts.ruleIds, facts.trueIndexes, facts.errorIndexes);
      metrics.rulesetEvaluation.observe({ source: resolved.evaluation }, resolved.evaluationMs / 1000);
      noteForLogLine(request, {
        catalogVersion: snapshot.catalogVersion,
        // memory, redis or sap; stale (served while SAP fails) whichever tier held it.
        evidence: resolved.evidenceStale ? "stale" : (resolved.evidenceFrom ?? "fresh"),
        evidence_age_s: resolved.evidenceAgeS,
        result_cache: resolved.evaluation === "cache",
        answer_cache: cached !== undefined,
        rules_true: facts.rulesTrue,
      });

      headers.etag = answer.etag;
      headers["cache-control"] = CACHE_CONTROL;
      // Served from cache while SAP fails: the front end may say the data could be out of date.
      if (resolved.evidenceStale) headers["x-evidence-stale"] = "true";
      if (matchesIfNoneMatch(request.headers.get("if-none-match"), answer.etag)) {
        return new Response(null, { status: 304, headers });
      }
      headers["content-type"] = "application/json; charset=utf-8";
      return new Response(answer.bytes, { headers });
    } finally {
      watch.stop();
    }
  };
}

/**
 * The route as Elysia knows it: for the OpenAPI document, `app.handle` and every request the
 * front door (front-door.ts) leaves to Elysia. Elysia validates the query and adds the request
 * id and CORS headers; a Response is not validated by Elysia (the tests validate the answers).
 */
export function userRoutes(answer: UserTabsAnswerer) {
  return new Elysia({ tags: ["employee"] }).get(
    USER_TABS_ROUTE,
    async ({ query, headers, request, set }) => {
      const response = await answer(request, query, headers.authorization, {});
      set.status = response.status;
      return response;
    },
    {
      query: TabsRequestSchema.strict(),
      headers: z.object({
        authorization: z.string().optional(),
        "if-none-match": z
          .string()
          .optional()
          .describe("An ETag of an earlier answer: 304 when it is still the answer"),
      }),
      response: { 200: UserTabsSchema, ...errorResponses(400, 401, 404, 503) },
      detail: {
        summary: "The home page components this employee may see",
        description:
          "Banners, main-page card groups and sidebar groups with their visible sections, in order. " +
          "`query` keeps only sections whose title contains it (case-insensitive). 503 with Retry-After " +
          "when SAP HR is unreachable and nothing is cached for the employee; `X-Evidence-Stale: true` " +
          "when the answer rests on cached employee data because SAP HR is failing. Every answer has " +
          "a strong `ETag` (made from its bytes) and `Cache-Control: private, no-cache`; a request whose " +
          "`If-None-Match` names the current answer's ETag gets 304 with no body.",
        security: [{ bearer: [] }],
      },
    },
  );
}

/**
 * If-None-Match by the weak comparison RFC 9110 asks for here: `*`, or any listed tag whose
 * opaque part equals ours (with or without `W/`).
 */
export function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header === etag) return true;
  for (const raw of header.split(",")) {
    const tag = raw.trim();
    if (tag === "*" || tag === etag || (tag.startsWith("W/") && tag.slice(2) === etag)) return true;
  }
  return false;
}
