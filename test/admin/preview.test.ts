import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { makeEmployee } from "../support/employees.ts";
import {
  createComponent,
  createRule,
  expectOk,
  expectRefused,
  putRule,
  STARTUP_TIMEOUT_MS,
  servedVersion,
} from "./support.ts";

interface Preview {
  banners: Array<{ id: number; title: string }>;
  cards: Array<{ id: number; title: string; sections: Array<{ id: number; title: string }> }>;
  sidebar: Array<{
    id: number;
    title: string;
    icon: string | null;
    sections: Array<{ id: number; title: string; url: string; icon: string | null }>;
  }>;
  rules: Array<{ id: number; name: string; result: boolean | "error"; error?: string }>;
  hidden: Array<{ kind: string; id: number; reason: string }>;
  catalog_version: number;
  evidence_stale: boolean;
  evidence: Record<string, unknown>;
}

const IVANOVA = makeEmployee({ personnel_number: "00123456", region: "R077" });
const NOW = new Date("2026-06-15T09:00:00Z");

let t: TestApp;
const ids = {
  moscow: 0,
  spb: 0,
  broken: 0,
  hr: 0,
  spbGroup: 0,
  cards: 0,
  payslip: 0,
  vacation: 0,
  mobileOnly: 0,
  inHiddenGroup: 0,
  brokenSection: 0,
  summer: 0,
  newYear: 0,
};
beforeAll(async () => {
  t = await createTestApp({ employees: [IVANOVA], clock: () => NOW });
  ids.moscow = (
    await createRule(t, { name: "is_moscow", title: "Moscow", expression: 'region === "R077"' })
  ).id;
  ids.spb = (await createRule(t, { name: "is_spb", title: "SPb", expression: 'region === "R078"' })).id;
  ids.broken = (
    await createRule(t, {
      name: "is_broken",
      title: "Throws",
      expression: "orgunit_path.length > 0 && orgunit_path.nothing.here",
    })
  ).id;
  const group = async (title: string, rule_id: number | null, order: number) =>
    (await createComponent(t, "sidebar-groups", { title, order, rule_id })).id;
  ids.hr = await group("HR", null, 1);
  ids.spbGroup = await group("SPb only", ids.spb, 2);
  ids.cards = (await createComponent(t, "card-groups", { title: "Main", order: 1 })).id;
  const section = async (title: string, extra: Record<string, unknown>) =>
    (await createComponent(t, "sections", { title, url: "/x", order: 1, sidebar_group_id: ids.hr, ...extra }))
      .id;
  ids.payslip = await section("Payslip", { card_group_id: ids.cards, rule_id: ids.moscow });
  ids.vacation = await section("Vacation", { rule_id: ids.spb });
  ids.mobileOnly = await section("Mobile only", { platforms: ["ios", "android"] });
  ids.inHiddenGroup = await section("In SPb group", { sidebar_group_id: ids.spbGroup });
  ids.brokenSection = await section("Broken", { rule_id: ids.broken });
  const banner = async (title: string, extra: Record<string, unknown>) =>
    (
      await createComponent(t, "banners", {
        title,
        image_url: "https://cdn.example.com/b.png",
        order: 1,
        ...extra,
      })
    ).id;
  ids.summer = await banner("Summer", { starts_at: "2026-06-01T00:00:00Z", ends_at: "2026-07-01T00:00:00Z" });
  ids.newYear = await banner("New Year", { starts_at: "2026-12-20T00:00:00Z" });
}, STARTUP_TIMEOUT_MS);
afterAll(() => t?.close());

const preview = (query: string) => t.admin(`/admin/preview?${query}`);

describe("preview", () => {
  test("the tree the employee gets, every rule's result and why each hidden component is hidden", async () => {
    const page = await expectOk<Preview>(preview("personnel_number=123456&platform=web"));
    expect(page.sidebar).toEqual([
      {
        id: ids.hr,
        title: "HR",
        icon: null,
        sections: [{ id: ids.payslip, title: "Payslip", url: "/x", icon: null }],
      },
    ]);
    expect(page.cards.map((c) => c.sections.map((s) => s.title))).toEqual([["Payslip"]]);
    expect(page.banners.map((b) => b.title)).toEqual(["Summer"]);

    expect(page.rules).toEqual([
      { id: ids.broken, name: "is_broken", result: "error", error: expect.any(String) },
      { id: ids.moscow, name: "is_moscow", result: true },
      { id: ids.spb, name: "is_spb", result: false },
    ]);

    const why = (kind: string, id: number) => page.hidden.find((h) => h.kind === kind && h.id === id)?.reason;
    expect(why("section", ids.vacation)).toBe("rule is_spb false");
    expect(why("section", ids.mobileOnly)).toBe("platform");
    expect(why("section", ids.inHiddenGroup)).toBe("group hidden");
    expect(why("section", ids.brokenSection)).toBe("rule is_broken error");
    expect(why("sidebar_group", ids.spbGroup)).toBe("rule is_spb false");
    expect(why("banner", ids.newYear)).toBe("outside window");

    expect(page.evidence_stale).toBe(false);
    expect(page.evidence.region).toBe("R077");
    expect(page.catalog_version).toBe(t.ctx.catalog.snapshot?.catalogVersion as number);
  });

  test("the platform changes the answer", async () => {
    const page = await expectOk<Preview>(preview("personnel_number=00123456&platform=ios"));
    const titles = page.sidebar.flatMap((g) => g.sections.map((s) => s.title));
    expect(titles).toContain("Mobile only");
  });

  test("right after an edit, the preview shows it", async () => {
    const rule = await expectOk<{ version: number }>(t.admin(`/admin/rules/${ids.spb}`));
    await expectOk(
      putRule(t, ids.spb, rule.version, { name: "is_spb", title: "SPb", expression: "is_moscow" }),
    );
    const page = await expectOk<Preview>(preview("personnel_number=123456&platform=web"));
    expect(page.rules.find((r) => r.name === "is_spb")?.result).toBe(true);
    expect(page.sidebar.flatMap((g) => g.sections.map((s) => s.title))).toContain("Vacation");
  });

  test("an unknown employee is 404; bad parameters are 400", async () => {
    await expectRefused(
      t,
      () => preview("personnel_number=99999999&platform=web"),
      404,
      "employee_not_found",
    );
    await expectRefused(t, () => preview("personnel_number=123456&platform=desktop"), 400, "bad_request");
    await expectRefused(t, () => preview("personnel_number=12ab&platform=web"), 400, "bad_request");
    await expectRefused(t, () => preview("platform=web"), 400, "bad_request");
    await expectRefused(t, () => preview("personnel_number=123456&platform=web&debug=1"), 400, "bad_request");
  });
});

describe("instant effect", () => {
  test("a rule changed through the API is what the next /user.tabs serves", async () => {
    const tabs = async () => {
      const response = await t.request("/user.tabs?platform=web", { token: IVANOVA.personnel_number });
      const body = await expectOk<Preview>(response);
      return body.sidebar.flatMap((g) => g.sections.map((s) => s.title));
    };
    expect(await tabs()).toContain("Payslip");

    const current = await expectOk<{ version: number }>(t.admin(`/admin/rules/${ids.moscow}`));
    const response = await putRule(t, ids.moscow, current.version, {
      name: "is_moscow",
      title: "Moscow",
      expression: 'region === "R050"',
    });
    await expectOk(response.clone());
    // Wait for the store's swap (the NOTIFY from the commit), not for a fixed time.
    await servedVersion(t, Number(response.headers.get("x-catalog-version")));
    expect(await tabs()).not.toContain("Payslip");
  });
});
