/**
 * Each domain module under src/ (rules, catalog, evidence, admin, http, auth, db, demo) is
 * entered only through its index.ts: code in one module imports another's public surface, never
 * its files. The shared files at the top of src/ (config, errors, log, metrics, context, the
 * composition root) may be imported from anywhere. Tests and benchmarks keep apart too: no test
 * imports from bench/.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Relative module specifiers of every static import, export-from and dynamic import. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\b[^"';]*?\bfrom\s+["']([^"']+)["']/g)) {
    if (m[1]) found.push(m[1]);
  }
  for (const m of text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) if (m[1]) found.push(m[1]);
  for (const m of text.matchAll(/^import\s+["']([^"']+)["']/gm)) if (m[1]) found.push(m[1]);
  return found.filter((s) => s.startsWith("."));
}

/** The relative imports that load code at run time (`import type` loads nothing). */
function runtimeImportsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^"';]*?\bfrom\s+["'](\.[^"']+)["']/gm)) {
    if (m[1]) found.push(m[1]);
  }
  return found;
}

/** "rules" for src/rules/…; undefined for a shared file at the top of src/. */
function moduleOf(path: string): string | undefined {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

describe("module doors", () => {
  test("code in src/ enters another module only through its index.ts", () => {
    const offences: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = moduleOf(file);
      for (const specifier of importsOf(file)) {
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(SRC + sep)) continue;
        const to = moduleOf(target);
        if (to === undefined || to === from) continue;
        if (target !== join(SRC, to, "index.ts")) {
          offences.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  test("no test imports from bench/", () => {
    const offences = sourceFiles(join(ROOT, "test")).flatMap((file) =>
      importsOf(file)
        .filter((s) => resolve(dirname(file), s).startsWith(join(ROOT, "bench") + sep))
        .map((s) => `${relative(ROOT, file)} imports ${s}`),
    );
    expect(offences).toEqual([]);
  });

  test("a sandbox process loads nothing of the service but the rule engine", () => {
    // It runs admins' code: no database client, SAP client or secret-handling code in there.
    const seen = new Set<string>();
    const queue = [join(SRC, "rules", "sandbox", "host-process.ts")];
    for (let file = queue.pop(); file; file = queue.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      for (const specifier of runtimeImportsOf(file)) queue.push(resolve(dirname(file), specifier));
    }
    const outside = [...seen]
      .map((f) => relative(ROOT, f))
      .filter((f) => !f.startsWith(`src${sep}rules${sep}`));
    expect(outside).toEqual([]);
    expect(seen.size).toBeGreaterThan(3);
  });

  test("the check sees imports (it can fail)", () => {
    // A file of src/http that reached into another module would be caught: the parser finds it.
    expect(importsOf(join(SRC, "http", "app.ts"))).toContain("../context.ts");
    expect(moduleOf(join(SRC, "rules", "sandbox", "pool.ts"))).toBe("rules");
    expect(moduleOf(join(SRC, "config.ts"))).toBeUndefined();
  });
});
