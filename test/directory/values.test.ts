import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { knownValueWarnings } from "../../src/admin/directory/known-value-warnings.ts";
import { ruleRoutes } from "../../src/admin/rules/routes.ts";
import type { Database } from "../../src/db/index.ts";
import { directorySample, employeeChunks } from "../../src/directory/index.ts";
import type { EmployeeEvidence, MockSap } from "../../src/evidence/index.ts";
import { freshDatabase } from "../support/database.ts";
import { directoryApp, startDirectoryMock } from "./support.ts";

setDefaultTimeout(180_000);

let mock: MockSap;
let database: Database;
let app: Awaited<ReturnType<typeof directoryApp>>;
const employees: EmployeeEvidence[] = [];

beforeAll(async () => {
  mock = await startDirectoryMock({ size: 2000 });
  database = await freshDatabase();
  app = await directoryApp(database, mock);
  await app.ctx.directory.requestSync("manual");
  await app.ctx.directory.running();
  for await (const chunk of employeeChunks(database.db, 1000)) employees.push(...chunk);
});
afterAll(async () => {
  await app.stop();
  await database.close();
  await mock.close();
});

const values = async (query: string) => {
  const answer = await app.admin(`/admin/directory/values?${query}`);
  expect(answer.status).toBe(200);
  return answer.json();
};

describe("known values of the directory copy", () => {
  test("roles with their counts, most common first; q filters", async () => {
    const expected = new Map<string, number>();
    for (const e of employees) for (const r of e.roles) expected.set(r, (expected.get(r) ?? 0) + 1);
    const all = await values("field=roles&limit=500");
    expect(all.total).toBe(expected.size);
    expect(new Map(all.values.map((v: { value: string; count: number }) => [v.value, v.count]))).toEqual(
      expected,
    );
    const counts = all.values.map((v: { count: number }) => v.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const cash = await values("field=roles&q=CASH");
    expect(cash.values.length).toBeGreaterThan(0);
    expect(cash.values.every((v: { value: string }) => v.value.includes("cash"))).toBe(true);
  });

  test("regions with names (q matches the name too); org units with their path", async () => {
    const moscow = await values(`field=regions&q=${encodeURIComponent("моск")}`);
    expect(moscow.values[0]).toMatchObject({ value: "R077", name: "Москва" });
    expect(moscow.values[0].count).toBe(employees.filter((e) => e.region === "R077").length);
    const sample = employees[0] as EmployeeEvidence;
    const unit = sample.orgunit_path[1] as string;
    const [found] = (await values(`field=org_units&q=${unit}`)).values;
    expect(found.value).toBe(unit);
    expect(found.path).toEqual(sample.orgunit_path.slice(0, 2));
    expect(found.count).toBe(employees.filter((e) => e.orgunit_path.includes(unit)).length);
  });

  test("every field of the brief answers; an unknown one is 400", async () => {
    for (const field of ["apps", "positions", "employee_groups", "employment_types", "orgunit_id"]) {
      expect((await values(`field=${field}`)).values.length).toBeGreaterThan(0);
    }
    expect((await app.admin("/admin/directory/values?field=full_name")).status).toBe(400);
  });
});

describe("the rule check warns about values nobody has", () => {
  test("a literal compared with a field that is not one of its values: named, with the closest known ones", async () => {
    const warnings = await knownValueWarnings(
      app.ctx.directory.values,
      `roles.includes("кассир") || hasRole("casheir") || region === "R77" || ["R077", "R999"].includes(region) || roles.includes("cashier")`,
    );
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^'кассир' is not a known role \(known: .+, …\)$/),
      expect.stringMatching(/^'casheir' is not a known role \(known: cashier, /),
      expect.stringMatching(/^'R77' is not a known region \(known: R077?, /),
      expect.stringMatching(/^'R999' is not a known region/),
    ]);
  });

  test("POST /admin/rules/validate carries the warning and still says valid", async () => {
    const { Elysia } = await import("elysia");
    const { createApp } = await import("../../src/http/index.ts");
    const rules = createApp(app.ctx, [new Elysia({ prefix: "/admin" }).use(ruleRoutes(app.ctx))]);
    const answer = await rules.handle(
      new Request("http://localhost/admin/rules/validate", {
        method: "POST",
        headers: { authorization: "Bearer test-admin-token-0123456789", "content-type": "application/json" },
        body: JSON.stringify({ expression: `roles.includes("кассир")` }),
      }),
    );
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.valid).toBe(true);
    expect(body.warnings.map((w: { message: string }) => w.message)).toContainEqual(
      expect.stringContaining("'кассир' is not a known role (known: "),
    );
  });
});

describe("the trial's sample from the directory", () => {
  test("deterministic, awkward records first, spread over regions and roles", async () => {
    const a = await directorySample(database.db, 114);
    const b = await directorySample(database.db, 114);
    expect(a.map((e) => e.personnel_number)).toEqual(b.map((e) => e.personnel_number));
    expect(a.length).toBe(114);
    expect(a.some((e) => e.birthday === null)).toBe(true);
    expect(a.some((e) => e.store_id === null)).toBe(true);
    expect(a.some((e) => e.employee_group !== "1")).toBe(true);
    // More (region, roles) groups than places: every place after the awkward ones (at most 20)
    // goes to a group not picked yet.
    const groups = new Set(employees.map((e) => `${e.region}|${e.roles.join()}`));
    expect(groups.size).toBeGreaterThan(114);
    expect(new Set(a.map((e) => `${e.region}|${e.roles.join()}`)).size).toBeGreaterThanOrEqual(114 - 20);
    // Whereas the first 114 by personnel number sit in far fewer.
    const first = [...employees]
      .sort((x, y) => x.personnel_number.localeCompare(y.personnel_number))
      .slice(0, 114);
    expect(new Set(first.map((e) => `${e.region}|${e.roles.join()}`)).size).toBeLessThan(114 - 20);
  });

  test("the trial at save draws from it once the directory is synced", async () => {
    // The sample is read into memory after the sync (the trial never queries the database).
    let origin = "";
    for (let attempt = 0; attempt < 50 && origin !== "directory"; attempt++) {
      const report = await app.ctx.ruleTrial.run({
        rule: { id: 0, name: "probe", kind: "expression", expression: "true", appCodes: [] },
        dependencies: [],
        constant: true,
      });
      origin = report.sample.origin;
      if (origin !== "directory") await Bun.sleep(100);
    }
    expect(origin).toBe("directory");
  });
});
