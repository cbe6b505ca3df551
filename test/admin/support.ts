import { expect } from "bun:test";
import { asc } from "drizzle-orm";
import type { CatalogSnapshot } from "../../src/catalog/index.ts";
import { type Db, schema } from "../../src/db/index.ts";
import type { ErrorCode } from "../../src/errors.ts";
import type { TestApp } from "../support/app.ts";

/**
 * For hooks and tests that start an app: PGlite and the rule sandboxes take seconds to start on
 * a busy machine, more than bun's 5 s default for hooks.
 */
export const STARTUP_TIMEOUT_MS = 60_000;

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

export const createRule = (t: TestApp, body: Record<string, unknown>) =>
  expectOk<RuleAnswer>(t.admin("/admin/rules", { method: "POST", json: body }), 201);

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

/** Resolves once this app's catalog store serves `version` or later (no sleeping). */
export function servedVersion(t: TestApp, version: number): Promise<CatalogSnapshot> {
  const current = t.ctx.catalog.snapshot;
  if (current && current.version >= version) return Promise.resolve(current);
  return new Promise((resolve) => {
    const stop = t.ctx.catalog.onSwap((snapshot) => {
      if (snapshot.version < version) return;
      stop();
      resolve(snapshot);
    });
  });
}
