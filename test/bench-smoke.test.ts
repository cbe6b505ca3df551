/**
 * `bun run bench` must keep working: its harness runs here for a second per scenario, with a
 * small wide turn, and every scenario must come out in the table with traffic and no errors.
 * (The figures themselves mean nothing at this length: bench/RESULTS.md holds the real runs.)
 * It runs as its own process, as `bun run bench` does (tests do not import bench/).
 */
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO_ROOT = new URL("..", import.meta.url).pathname;
const tool = Bun.which("oha") ?? Bun.which("wrk");

test.skipIf(!tool)(
  "the benchmark harness runs every scenario and writes its table",
  async () => {
    const out = join(mkdtempSync(join(tmpdir(), "lk-bench-smoke-")), "table.md");
    const child = Bun.spawn(
      [
        "bun",
        "run",
        "bench/user-tabs.ts",
        "--seconds",
        "1",
        "--wide",
        "300",
        "--connections",
        "8",
        "--out",
        out,
      ],
      { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" },
    );
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    expect({ code, stderr: code === 0 ? "" : stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });

    const rows = readFileSync(out, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| scenario") && !line.startsWith("| ---"))
      .map((line) => line.split("|").map((cell) => cell.trim()));
    const scenarios = rows.map((cells) => cells[1] ?? "");
    for (const name of [
      "warm",
      "no request log line",
      "wide",
      "cold",
      "1,000 rules",
      "static ceiling",
      "old way",
      "per-rule",
    ])
      expect(scenarios.some((s) => s.includes(name))).toBe(true);
    for (const cells of rows) {
      const [, scenario, loadTool, rps, , , , errors, rss] = cells;
      expect({ scenario, tool: loadTool }).toEqual({ scenario, tool: expect.stringMatching(/^(oha|wrk)$/) });
      expect({ scenario, rps: Number(rps) > 0, errors: Number(errors) }).toEqual({
        scenario,
        rps: true,
        errors: 0,
      });
      expect(Number(rss)).toBeGreaterThan(10);
    }
    // The service's rows read the blocking time from its /metrics (or say "n/a" without it).
    const warm = rows.find((cells) => (cells[1] ?? "").startsWith("warm"));
    expect(warm?.[9]).toMatch(/^(n\/a|\d+(\.\d+)?)$/);
    // And what each request cost the HTTP process and its sandboxes in CPU, from /proc.
    expect(Number(warm?.[12])).toBeGreaterThan(0);
    // (A turn of 300 fits the result cache, so the sandboxes may have had nothing to do here.)
    const wide = rows.find((cells) => (cells[1] ?? "").startsWith("wide"));
    expect(wide?.[13]).toMatch(/^\d+$/);
  },
  180_000,
);
