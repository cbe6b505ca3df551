import { describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { EVIDENCE_VARIABLES } from "../../src/evidence/index.ts";
import { HELPERS } from "../../src/rules/index.ts";
import { makeEmployee } from "../support/employees.ts";
import { createRule, expectOk, useTestApp } from "./support.ts";

/**
 * What the rule editor takes from the API beyond the contract: the vocabulary it completes, the
 * slips with their advice, every variable of one employee, the audit by period, and the person
 * (not "admin-token") as the actor of a JWT admin.
 */
const SECRET = "an-editor-test-secret-of-enough-length-42";
const t = useTestApp({
  employees: [makeEmployee({ personnel_number: "00100001", roles: ["cashier"], is_manager: true })],
  env: { AUTH_MODE: "jwt", AUTH_JWT_SECRET: SECRET },
});
const adminJwt = (claims: Record<string, unknown>) =>
  new SignJWT({ roles: ["lk-admin"], ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(SECRET));

interface Vocabulary {
  variables: Array<{ name: string; type: string; example: unknown; doc: string }>;
  helpers: Array<{ name: string; signature: string; doc: string }>;
  rules: Array<{ name: string; title: string; enabled: boolean }>;
}

describe("editor API", () => {
  test("the vocabulary: every variable with type, example and doc; every helper; the rules", async () => {
    await createRule(t, { name: "is_cashier", title: "Кассир", expression: 'roles.includes("cashier")' });
    const vocabulary = await expectOk<Vocabulary>(t.admin("/admin/rules/vocabulary"));
    expect(vocabulary.variables.map((v) => v.name).sort()).toEqual([...EVIDENCE_VARIABLES].sort());
    expect(vocabulary.variables.find((v) => v.name === "store_id")).toMatchObject({
      type: "строка или null",
      example: "S1001",
    });
    expect(vocabulary.variables.find((v) => v.name === "roles")?.type).toBe("список строк");
    expect(vocabulary.variables.every((v) => v.doc.length > 0)).toBe(true);
    expect(vocabulary.helpers.map((h) => h.name)).toEqual([...HELPERS]);
    expect(vocabulary.helpers.filter((h) => !h.doc || !h.signature.startsWith(`${h.name}(`))).toEqual([]);
    expect(vocabulary.rules).toEqual([{ name: "is_cashier", title: "Кассир", enabled: true }]);
    expect((await t.request("/admin/rules/vocabulary")).status).toBe(401);
  });

  test("validate names the slip and its place; a save carries the advice in its message", async () => {
    const expression = 'roles.includes("cashier") и is_manager';
    const result = await expectOk<{ valid: boolean; errors: Array<{ message: string }>; slips: unknown[] }>(
      t.admin("/admin/rules/validate", { method: "POST", json: { expression } }),
    );
    expect(result.valid).toBe(false);
    expect(result.slips).toEqual([
      {
        kind: "word_operator",
        found: "и",
        write: "&&",
        line: 1,
        column: 27,
        advice: 'write && instead of "и"',
      },
    ]);
    expect(result.errors[0]?.message).toEndWith(': write && instead of "и"');
    const save = await t.admin("/admin/rules", {
      method: "POST",
      json: { name: "x_slip", title: "x", expression },
    });
    expect(save.status).toBe(422);
    expect(JSON.stringify(await save.json())).toContain('write && instead of \\"и\\"');

    const valid = await expectOk<{ valid: boolean; slips: Array<{ kind: string }> }>(
      t.admin("/admin/rules/validate", { method: "POST", json: { expression: '"cashier" in roles' } }),
    );
    expect({ valid: valid.valid, kinds: valid.slips.map((s) => s.kind) }).toEqual({
      valid: true,
      kinds: ["python_in"],
    });
  });

  test("preview with evidence=all gives every variable, by default only what the rules read", async () => {
    const all = await expectOk<{ evidence: Record<string, unknown> }>(
      t.admin("/admin/preview?personnel_number=100001&platform=web&evidence=all"),
    );
    expect(Object.keys(all.evidence).sort()).toEqual([...EVIDENCE_VARIABLES].sort());
    const read = await expectOk<{ evidence: Record<string, unknown> }>(
      t.admin("/admin/preview?personnel_number=100001&platform=web"),
    );
    expect(read.evidence.full_name).toBeUndefined();
    expect(read.evidence.roles).toEqual(["cashier"]);
  });

  test("with an lk-admin JWT the audit and the revisions name the person; the audit filters by period", async () => {
    const token = await adminJwt({ sub: "u-42", name: "Мария Иванова", preferred_username: "m.ivanova" });
    const created = await expectOk<{ id: number }>(
      t.request("/admin/rules", {
        method: "POST",
        token,
        json: { name: "by_maria", title: "М", expression: "is_manager" },
      }),
      201,
    );
    const byUsername = await adminJwt({ sub: "u-43", preferred_username: "p.petrov" });
    await expectOk(
      t.request(`/admin/rules/${created.id}`, {
        method: "PUT",
        token: byUsername,
        headers: { "if-match": "1" },
        json: { name: "by_maria", title: "М", expression: "!is_manager" },
      }),
    );
    const revisions = await expectOk<Array<{ version: number; author: string }>>(
      t.admin(`/admin/rules/${created.id}/revisions`),
    );
    expect(revisions.map((r) => [r.version, r.author])).toEqual([
      [2, "p.petrov"],
      [1, "Мария Иванова"],
    ]);
    const audit = await expectOk<{ items: Array<{ actor: string; at: string }> }>(
      t.admin(
        `/admin/audit?entity=rule&entity_id=${created.id}&actor=${encodeURIComponent("Мария Иванова")}`,
      ),
    );
    expect(audit.items.map((i) => i.actor)).toEqual(["Мария Иванова"]);

    const at = audit.items[0]?.at ?? "";
    const inPeriod = (query: string) =>
      expectOk<{ items: unknown[] }>(t.admin(`/admin/audit?entity_id=${created.id}&${query}`)).then(
        (p) => p.items.length,
      );
    const later = new Date(Date.parse(at) + 60_000).toISOString();
    expect(await inPeriod(`since=${encodeURIComponent(at)}`)).toBe(2);
    expect(await inPeriod(`since=${encodeURIComponent(later)}`)).toBe(0);
    expect(await inPeriod(`until=${encodeURIComponent(at)}`)).toBe(0);
    expect((await t.admin("/admin/audit?since=yesterday")).status).toBe(400);
  });
});
