import { describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { createComponent, createRule, expectOk, expectRefused, putRule, useTestApp } from "./support.ts";

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
interface AuditPage {
  items: AuditEntry[];
  next_before_id: number | null;
}

const SECRET = "an-audit-test-secret-long-enough-0123456789";
const adminJwt = (sub: string) =>
  new SignJWT({ sub, roles: ["lk-admin"] })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
    .sign(new TextEncoder().encode(SECRET));

// JWT mode, so that the actor can be a person (the JWT subject) as well as "admin-token".
const t = useTestApp({ env: { AUTH_MODE: "jwt", AUTH_JWT_SECRET: SECRET } });

const audit = (query = "") => expectOk<AuditPage>(t.admin(`/admin/audit${query ? `?${query}` : ""}`));

describe("audit log", () => {
  test("every change writes who, what, before and after, in the change's transaction", async () => {
    const token = await adminJwt("maria.petrova");
    const created = await expectOk<{ id: number; version: number }>(
      t.request("/admin/rules", {
        method: "POST",
        token,
        json: { name: "is_audited", title: "Audited", expression: "is_manager" },
      }),
      201,
    );
    await expectOk(putRule(t, created.id, 1, { name: "is_audited", title: "Audited v2" }));
    await expectOk(t.admin(`/admin/rules/${created.id}/rollback`, { method: "POST", json: { version: 1 } }));
    expect((await t.admin(`/admin/rules/${created.id}`, { method: "DELETE" })).status).toBe(200);

    const page = await audit(`entity=rule&entity_id=${created.id}`);
    expect(page.items.map((e) => [e.action, e.actor])).toEqual([
      ["delete", "admin-token"],
      ["rollback", "admin-token"],
      ["update", "admin-token"],
      ["create", "maria.petrova"],
    ]);
    const [deleted, rolledBack, updated, create] = page.items;
    expect(create?.before).toBeNull();
    expect(create?.after).toMatchObject({ name: "is_audited", title: "Audited", version: 1 });
    expect(updated?.before).toMatchObject({ title: "Audited", version: 1 });
    expect(updated?.after).toMatchObject({ title: "Audited v2", version: 2 });
    expect(rolledBack?.after).toMatchObject({ title: "Audited", version: 3 });
    expect(deleted?.after).toBeNull();
    expect(deleted?.before).toMatchObject({ version: 3 });
    expect(Number.isNaN(Date.parse(create?.at ?? ""))).toBe(false);
  });

  test("component changes are audited too", async () => {
    const group = await createComponent(t, "card-groups", { title: "Audited cards", order: 1 });
    await expectOk(
      t.admin(`/admin/card-groups/${group.id}`, {
        method: "PUT",
        headers: { "if-match": "1" },
        json: { title: "Audited cards 2", order: 2 },
      }),
    );
    const page = await audit(`entity=card_group&entity_id=${group.id}`);
    expect(page.items.map((e) => e.action)).toEqual(["update", "create"]);
    expect(page.items[0]?.before).toMatchObject({ title: "Audited cards", order: 1 });
    expect(page.items[0]?.after).toMatchObject({ title: "Audited cards 2", order: 2 });
  });

  test("filters by actor, pages by before_id without gaps or repeats", async () => {
    for (let i = 0; i < 7; i++)
      await createRule(t, { name: `is_paged_${i}`, title: "x", expression: "true" });
    const mine = await audit("actor=maria.petrova");
    expect(mine.items.every((e) => e.actor === "maria.petrova")).toBe(true);
    expect(mine.items.length).toBeGreaterThan(0);

    const all = await audit("limit=200");
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page: AuditPage = await audit(`limit=3${cursor ? `&before_id=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.next_before_id;
    } while (cursor !== null);
    expect(seen).toEqual(all.items.map((e) => e.id));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  test("a refused change writes no audit entry", async () => {
    await expectRefused(
      t,
      () =>
        t.admin("/admin/rules", { method: "POST", json: { name: "class", title: "x", expression: "true" } }),
      422,
      "validation_failed",
    );
  });

  test("bad filters are 400", async () => {
    for (const query of [
      "limit=0",
      "limit=201",
      "entity=user",
      "entity_id=x",
      "before_id=-1",
      "colour=red",
    ]) {
      await expectRefused(t, () => t.admin(`/admin/audit?${query}`), 400, "bad_request");
    }
  });
});
