import { expect } from "bun:test";
import { asc } from "drizzle-orm";
import type { CatalogSnapshot } from "../../src/catalog/index.ts";
import { type Db, schema } from "../../src/db/index.ts";
import type { ErrorCode } from "../../src/errors.ts";
import { type TestApp, useTestApp } from "../support/app.ts";

export { STARTUP_TIMEOUT_MS, useTestApp } from "../support/app.ts";

/** Every table an admin change may touch, whole, in a stable order. */
export async function catalogDump(db: Db) {
  return {
    rules: await db.select().from(schema.rules).orderBy(asc(schema.rules.id)),
    revisions: await db.select().from(schema.ruleRevisions).orderBy(asc(schema.ruleRevisions.id)),
    sidebarGroups: await db.select().from(schema.sidebarGroups).orderBy(asc(schema.sidebarGroups.id)),
    cardGroups: await db.select().from(schema.cardGroups).orderBy(asc(schema.cardGroups.id)),
    sections: await db.select().from(schema.sections).orderBy(asc(schema.sections.id)),
    banners: await db.select().from(schema.banners).orderBy(asc(schema.banners.id)),
    audit: await db.select().from(schema.auditLog).orderBy(asc(schema.auditLog.id)),
    state: await db.select().from(schema.catalogState),
  };
}

export interface ErrorAnswer {
  error: { code: string; message: string; details: Array<Record<string, unknown>> };
}

/**
 * Sends a request that must be refused, checks the status and error code, and that the database
 * is exactly as before (catalog version, audit log and all). Returns the error body.
 */
export async function expectRefused(
  t: TestApp,
  send: () => Promise<Response>,
  status: number,
  code: ErrorCode,
): Promise<ErrorAnswer["error"]> {
  const before = await catalogDump(t.db);
  const response = await send();
  const body = (await response.json()) as ErrorAnswer;
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe("string");
  expect(Array.isArray(body.error.details)).toBe(true);
  expect(await catalogDump(t.db)).toEqual(before);
  return body.error;
}

/** Sends a request that must succeed with `status`, and returns its JSON body. */
export async function expectOk<T = Record<string, unknown>>(
  response: Response | Promise<Response>,
  status = 200,
): Promise<T> {
  const answer = await response;
  const text = await answer.text();
  expect({ status: answer.status, body: text }).toEqual({ status, body: text });
  if (answer.status !== status) throw new Error(text);
  return (text ? JSON.parse(text) : null) as T;
}

export interface RuleAnswer {
  id: number;
  name: string;
  title: string;
  kind: "expression" | "lk1";
  expression: string;
  app_codes: string[];
  enabled: boolean;
  depends_on: string[];
  version: number;
  created_at: string;
  updated_at: string;
}

/** A rule body that passes every check, to vary one field of. */
export const VALID_RULE = { name: "is_valid", title: "Valid", expression: "is_manager" };

export const postRule = (t: TestApp, json: unknown) => t.admin("/admin/rules", { method: "POST", json });

/** A body sent as it is, declared JSON. */
export const postRuleRaw = (t: TestApp, body: string) =>
  t.admin("/admin/rules", { method: "POST", body, headers: { "content-type": "application/json" } });

export const createRule = (t: TestApp, body: Record<string, unknown>) =>
  expectOk<RuleAnswer>(postRule(t, body), 201);

export const putRule = (t: TestApp, id: number, version: number, body: Record<string, unknown>) =>
  t.admin(`/admin/rules/${id}`, { method: "PUT", headers: { "if-match": String(version) }, json: body });

export interface ComponentAnswer {
  id: number;
  version: number;
  title: string;
  [field: string]: unknown;
}

export const createComponent = (t: TestApp, path: string, body: Record<string, unknown>) =>
  expectOk<ComponentAnswer>(t.admin(`/admin/${path}`, { method: "POST", json: body }), 201);

/** A PUT with `If-Match: <version>`, or with no If-Match (null). */
export const putComponent = (t: TestApp, path: string, id: number, version: number | null, json: unknown) =>
  t.admin(`/admin/${path}/${id}`, {
    method: "PUT",
    headers: version === null ? {} : { "if-match": String(version) },
    json,
  });

export const COMPONENT_PATHS = ["sidebar-groups", "card-groups", "sections", "banners"] as const;
export type ComponentPath = (typeof COMPONENT_PATHS)[number];

/** What the component bodies below refer to: a rule and a sidebar group of the test's app. */
export interface ComponentRefs {
  ruleId: number;
  groupId: number;
}

export async function createComponentRefs(t: TestApp): Promise<ComponentRefs> {
  const rule = await createRule(t, { name: "is_manager_rule", title: "Managers", expression: "is_manager" });
  const group = await createComponent(t, "sidebar-groups", { title: "Base group", order: 0 });
  return { ruleId: rule.id, groupId: group.id };
}

/**
 * The app of a component test file, with a rule and a sidebar group made for its bodies to refer
 * to; `body(path)` is one valid body of that kind.
 */
export function useComponentApp(): { t: TestApp; body: (path: ComponentPath) => Record<string, unknown> } {
  let refs: ComponentRefs | undefined;
  const t = useTestApp({}, async (app) => {
    refs = await createComponentRefs(app);
  });
  const body = (path: ComponentPath) => {
    if (!refs) throw new Error("the component app is not started yet: use it inside a test or a hook");
    return componentBody(path, refs);
  };
  return { t, body };
}

/** One valid body per kind, every optional field given. */
export function componentBody(path: ComponentPath, refs: ComponentRefs): Record<string, unknown> {
  switch (path) {
    case "sidebar-groups":
      return { title: "Кадры", icon: "people", order: 1, rule_id: refs.ruleId };
    case "card-groups":
      return { title: "Main cards", order: 2, rule_id: null };
    case "sections":
      return {
        title: "Расчётный лист",
        url: "/payslip",
        icon: "doc",
        order: 3,
        sidebar_group_id: refs.groupId,
        platforms: ["web", "ios"],
        rule_id: refs.ruleId,
      };
    case "banners":
      return {
        title: "New Year",
        image_url: "https://cdn.example.com/ny.png",
        link: "https://portal.example.com/ny",
        order: 0,
        platforms: null,
        starts_at: "2026-12-20T00:00:00+03:00",
        ends_at: "2027-01-10T00:00:00+03:00",
      };
  }
}

/** Resolves once this app's catalog store serves `version` or later (no sleeping). */
export function servedVersion(t: TestApp, version: number): Promise<CatalogSnapshot> {
  const current = t.ctx.catalog.snapshot;
  if (current && current.catalogVersion >= version) return Promise.resolve(current);
  return new Promise((resolve) => {
    const stop = t.ctx.catalog.onSwap((snapshot) => {
      if (snapshot.catalogVersion < version) return;
      stop();
      resolve(snapshot);
    });
  });
}
