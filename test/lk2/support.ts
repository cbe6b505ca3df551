/** Shared by the LK2 tests: demo employees as LK2 and we see them, and python3 as LK2's engine. */
import { mapSapEmployee } from "../../src/evidence/index.ts";
import { EMPLOYEE_COUNT, generateEmployee } from "../../src/evidence/mock-sap/directory.ts";
import type { Evidence, Platform } from "../../src/evidence/schema.ts";
import type { Lk2Export, Lk2Rule } from "../../src/lk2/index.ts";

const PLATFORMS: Platform[] = ["web", "ios", "android"];
const DAYS = ["2025-05-17", "2026-01-01", "2024-02-29", "2025-12-31"];

/**
 * `count` employees of the demo directory, spread over all personnel numbers, each with the
 * per-request variables (today, now, platform) LK2 also passes; every fifth one is asked on
 * their birthday, so birthday rules have something to find.
 */
export function demoEmployees(count: number): Evidence[] {
  const step = Math.floor(EMPLOYEE_COUNT / count);
  return Array.from({ length: count }, (_, i) => {
    const pernr = String(1 + i * step + (i % step)).padStart(8, "0");
    const employee = mapSapEmployee(generateEmployee(pernr));
    const birthday = employee.birthday;
    const onBirthday = i % 5 === 0 && birthday && !birthday.endsWith("02-29");
    const today = onBirthday ? `2025${birthday.slice(4)}` : (DAYS[i % DAYS.length] as string);
    return {
      ...employee,
      today,
      now: `${today}T09:30:00.000Z`,
      platform: PLATFORMS[i % PLATFORMS.length] as Platform,
    };
  });
}

export interface ReferenceOutput {
  /** Per employee: LK2 rule id → its result. */
  results: Array<Record<string, boolean>>;
  /** Per employee, when an export was given: what LK2 shows, by LK2 ids. */
  tabs: Array<{
    sidebar: Array<[number, number[]]>;
    cards: Array<[number, number[]]>;
    banners: number[];
  }> | null;
}

const REFERENCE = new URL("./lk2_reference.py", import.meta.url).pathname;

/** LK2's logic in real Python (test/lk2/lk2_reference.py), once over the whole batch. */
export function runLk2Reference(input: {
  rules?: Lk2Rule[];
  export?: Lk2Export;
  employees: Evidence[];
}): ReferenceOutput {
  const python = Bun.which("python3");
  if (!python) {
    throw new Error(
      "python3 is missing: the LK2 tests compare our engine with real Python (apt-get install -y python3)",
    );
  }
  const run = Bun.spawnSync([python, REFERENCE], {
    stdin: new TextEncoder().encode(
      JSON.stringify({ rules: input.rules, export: input.export ?? null, employees: input.employees }),
    ),
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", PYTHONHASHSEED: "0" },
  });
  if (run.exitCode !== 0) throw new Error(`python3 failed (${run.exitCode}): ${run.stderr.toString()}`);
  return JSON.parse(run.stdout.toString()) as ReferenceOutput;
}
