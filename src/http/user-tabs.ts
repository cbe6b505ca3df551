import { Elysia } from "elysia";
import { z } from "zod";
import { personalise, TabsRequestSchema, UserTabsSchema } from "../catalog/index.ts";
import type { AppContext } from "../context.ts";
import { errorResponses } from "./errors.ts";

export function userRoutes(ctx: AppContext) {
  const deps = {
    evidence: ctx.evidence,
    evaluator: ctx.evaluator,
    snapshot: () => ctx.catalog.snapshot,
    timeZone: ctx.config.timeZone,
  };
  return new Elysia({ tags: ["employee"] }).get(
    "/user.tabs",
    async ({ query, headers, set }) => {
      const { personnelNumber } = await ctx.auth.employee(headers.authorization);
      const page = await personalise(deps, { personnelNumber, ...query, now: ctx.clock() });
      // Served from cache while SAP fails: the front end may say the data could be out of date.
      if (page.evidenceStale) set.headers["x-evidence-stale"] = "true";
      return page.tabs;
    },
    {
      query: TabsRequestSchema.strict(),
      headers: z.object({ authorization: z.string().optional() }),
      response: { 200: UserTabsSchema, ...errorResponses(400, 401, 404, 503) },
      detail: {
        summary: "The home page components this employee may see",
        description:
          "Banners, main-page card groups and sidebar groups with their visible sections, in order. " +
          "`query` keeps only sections whose title contains it (case-insensitive). 503 with Retry-After " +
          "when SAP HR is unreachable and nothing is cached for the employee; `X-Evidence-Stale: true` " +
          "when the answer rests on cached employee data because SAP HR is failing.",
        security: [{ bearer: [] }],
      },
    },
  );
}
