/**
 * The shortcuts inside the sandbox's helpers and runner (wasm/helpers.js, wasm/runner.js) give
 * the answers the plain definitions give: text folded without normalize() only where NFC cannot
 * change it, remembered strings (fold, dates, salt bytes) bounded and never stale, the loop's
 * bookkeeping of named and skipped rules.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { newQuickJSWASMModuleFromVariant, RELEASE_SYNC } from "quickjs-emscripten";
import type { Evidence } from "../../src/evidence/schema.ts";
import { compileRuleset } from "../../src/rules/index.ts";
import { createEngine, type Engine } from "../../src/rules/sandbox/engine.ts";
import { createPlainHelpers } from "../../src/rules/sandbox/library.ts";
import { employee, rule } from "./support.ts";

const referenceFold = (text: string) => text.normalize("NFC").toLowerCase().replace(/ё/g, "е");

/** The FNV-1a of the helpers before the bytes were remembered (one code unit at a time). */
function referenceFnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      h = Math.imul(h ^ unit, 0x01000193) >>> 0;
      continue;
    }
    const c = text.codePointAt(i) as number;
    if (c > 0xffff) i += 1;
    const bytes =
      c < 0x800
        ? [0xc0 | (c >> 6), 0x80 | (c & 63)]
        : c < 0x10000
          ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
          : [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  }
  return h;
}

describe("folding text without normalize()", () => {
  test("ASCII and Cyrillic without combining marks are already NFC in QuickJS, alone and in pairs", async () => {
    const module = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
    const context = module.newRuntime().newContext();
    const result = context.evalCode(`(() => {
      const chars = [];
      for (let c = 0; c < 0x80; c += 1) chars.push(String.fromCharCode(c));
      for (let c = 0x400; c < 0x500; c += 1) if (c < 0x483 || c > 0x489) chars.push(String.fromCharCode(c));
      let changed = 0;
      for (const a of chars) {
        if (a.normalize("NFC") !== a) changed += 1;
        for (const b of chars) if ((a + b).normalize("NFC") !== a + b) changed += 1;
      }
      return chars.length + ":" + changed;
    })()`);
    const value = context.dump(result.unwrap());
    expect(value).toBe("377:0");
  });

  test("text that NFC changes is still normalized: decomposed letters and combining marks", () => {
    const { matches } = createPlainHelpers({ evidence: employee() }) as {
      matches: (t: unknown, p: unknown) => boolean;
    };
    expect(matches("Е\u0308лка", "елка")).toBe(true); // Ё decomposed: composes, then ё → е
    expect(matches("И\u0306огурт", "йогурт")).toBe(true); // Й decomposed
    expect(matches("Cafe\u0301", "café")).toBe(true);
    expect(matches("директор", "Директор")).toBe(true);
    expect(matches("Кассир", "Ё")).toBe(false);
  });

  test("remembered folds stay right past the memo's bounds (many and long strings)", () => {
    const { matches } = createPlainHelpers({ evidence: employee() }) as {
      matches: (t: unknown, p: unknown) => boolean;
    };
    const texts = Array.from({ length: 600 }, (_, i) => `Ёлка №${i} ${"Ж".repeat(i % 90)}`);
    for (let round = 0; round < 2; round += 1) {
      for (const [i, text] of texts.entries()) {
        const part = `${i % 7}`;
        expect(matches(text, part)).toBe(referenceFold(text).includes(referenceFold(part)));
        expect(matches(text, "елка")).toBe(true);
      }
    }
    expect(matches(null, "x")).toBe(false);
    expect(matches(123, 2)).toBe(true);
  });
});

describe("remembered dates and salts follow the evidence", () => {
  test("daysSince, daysUntil, age and yearsOfService as the evidence changes under them", () => {
    const current: { evidence: Evidence } = { evidence: employee() };
    const helpers = createPlainHelpers(current) as Record<string, (...args: unknown[]) => number>;
    const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 86_400_000;
    const dates = ["2019-03-01", "2024-02-29", "1990-05-17", "2025-05-17T23:59:59Z", "2000-12-31"];
    for (let round = 0; round < 300; round += 1) {
      const today = new Date(Date.UTC(2025, 0, 1) + round * 86_400_000).toISOString().slice(0, 10);
      const hire = dates[round % dates.length] as string;
      current.evidence = employee({ today, hire_date: hire, birthday: dates[(round + 1) % dates.length] });
      expect(helpers.daysSince?.(hire)).toBe(day(today) - day(hire));
      expect(helpers.daysUntil?.(hire)).toBe(day(hire) - day(today));
      const years = (from: string) => {
        const n = Number(today.slice(0, 4)) - Number(from.slice(0, 4));
        return today.slice(5, 10) < from.slice(5, 10) ? n - 1 : n;
      };
      expect(helpers.yearsOfService?.()).toBe(years(hire));
      expect(helpers.age?.()).toBe(years(dates[(round + 1) % dates.length] as string));
    }
    expect(helpers.daysSince?.("not a date")).toBeNaN();
    expect(helpers.daysSince?.(undefined)).toBeNaN();
    expect(helpers.daysSince?.(new Date(Date.UTC(2025, 3, 1)))).toBe(
      day(current.evidence.today) - day("2025-04-01"),
    );
  });

  test("bucket is the same FNV-1a, for any salt, however often and for whoever it is asked", () => {
    const current: { evidence: Evidence } = { evidence: employee() };
    const { bucket } = createPlainHelpers(current) as { bucket: (salt: unknown) => number };
    const salts = ["feature-1", "новый-раздел", "😀 emoji", "lone \ud800 surrogate", "", 42, "x".repeat(100)];
    for (let round = 0; round < 3; round += 1) {
      for (const pernr of ["01240519", "99999999", "Ёж"]) {
        current.evidence = employee({ personnel_number: pernr });
        for (const salt of salts) expect(bucket(salt)).toBe(referenceFnv(`${pernr}:${String(salt)}`) % 100);
      }
    }
  });
});

describe("in the sandbox (QuickJS)", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine();
  });
  afterAll(() => engine.dispose());

  test("a skipped, failed or later rule counts as false for the rules naming it", async () => {
    const set = compileRuleset([
      rule("a", "is_manager"),
      rule("b", "a"),
      rule("boom", "null.x"),
      rule("c", "!a && !boom"),
      rule("d", "c || b"),
    ]);
    await engine.load(set.rulesetKey, set.program);
    const order = set.program.rules.map((_, i) => set.rules[i]?.name);
    const codes = async (skip: number[]) => {
      const reply = await engine.evaluate({
        rulesetKey: set.rulesetKey,
        evidence: JSON.stringify({ is_manager: true }),
        skip,
        budgetMs: 200,
      });
      return Object.fromEntries(order.map((name, i) => [name, reply.codes[i]]));
    };
    expect(await codes([])).toEqual({ a: "1", b: "1", boom: "e", c: "0", d: "1" });
    const a = order.indexOf("a");
    expect(await codes([a])).toEqual({ a: "s", b: "0", boom: "e", c: "1", d: "1" });
    const b = order.indexOf("b");
    expect(await codes([a, b])).toEqual({ a: "s", b: "s", boom: "e", c: "1", d: "1" });
    expect(await codes([order.indexOf("c"), b])).toEqual({ a: "1", b: "s", boom: "e", c: "s", d: "0" });
  });

  test("matches folds decomposed text there too, request after request", async () => {
    const set = compileRuleset([
      rule("yogurt", 'matches(position, "йогурт")'),
      rule("tree", 'matches(position, "ЕЛКА")'),
      rule("plain", 'matches(position, "магазин")'),
    ]);
    await engine.load(set.rulesetKey, set.program);
    const codesFor = async (position: string) =>
      (
        await engine.evaluate({
          rulesetKey: set.rulesetKey,
          evidence: JSON.stringify({ position }),
          skip: [],
          budgetMs: 200,
        })
      ).codes;
    for (let round = 0; round < 2; round += 1) {
      expect(await codesFor("И\u0306огурт и Е\u0308лка")).toBe("110");
      expect(await codesFor("Директор магазина")).toBe("001");
      expect(await codesFor("Йогурт, ёлка, МАГАЗИН")).toBe("111");
    }
  });
});
