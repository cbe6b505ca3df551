import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

/**
 * `bun run start` as a user runs it: a real process in a fresh working directory (its `.data/`
 * is the test's), read through its stdout and stderr. Every process is stopped by its handle.
 */
const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const SEED = new URL("../../src/demo/seed-cli.ts", import.meta.url).pathname;
const cwd = mkdtempSync(join(tmpdir(), "lk-start-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

interface Started {
  url: string;
  stdout: string[];
  stderr: () => string;
  stop(): Promise<void>;
}

const baseEnv = (extra: Record<string, string>) => {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ["DATABASE_URL", "ADMIN_TOKEN", "AUTH_MODE", "SAP_BASE_URL", "NODE_ENV", "LOG_LEVEL"]) {
    delete env[name];
  }
  return { ...env, PORT: "0", PGLITE_DIR: "memory://", RULE_WORKERS: "1", ...extra };
};

async function* chunks(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield decoder.decode(value, { stream: true });
  }
}

async function start(extra: Record<string, string> = {}, timeoutMs = 90_000): Promise<Started> {
  const child = Bun.spawn(["bun", "run", MAIN], {
    cwd,
    env: baseEnv(extra),
    stdout: "pipe",
    stderr: "pipe",
  });
  const stdout: string[] = [];
  let stderr = "";
  let listening: (url: string) => void = () => {};
  const url = new Promise<string>((resolve) => {
    listening = resolve;
  });
  void (async () => {
    let rest = "";
    for await (const chunk of chunks(child.stdout)) {
      rest += chunk;
      const lines = rest.split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        stdout.push(line);
        if (!line.includes('"start: listening"')) continue;
        const { url } = JSON.parse(line) as { url?: string };
        if (url) listening(url);
      }
    }
  })();
  void (async () => {
    for await (const chunk of chunks(child.stderr)) stderr += chunk;
  })();
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(10_000).then(() => false)]);
    if (!exited) {
      child.kill("SIGKILL");
      await child.exited;
    }
  };
  const outcome = await Promise.race([
    url,
    child.exited.then((code) => new Error(`exited with ${code}:\n${stderr}\n${stdout.join("\n")}`)),
    Bun.sleep(timeoutMs).then(() => new Error(`not listening after ${timeoutMs} ms:\n${stdout.join("\n")}`)),
  ]);
  if (outcome instanceof Error) {
    await stop();
    throw outcome;
  }
  // The banner is written right after the service listens; wait for it before reading stderr.
  for (let i = 0; i < 100 && !stderr.includes("LK personalisation service on"); i++) await Bun.sleep(50);
  return { url: outcome.replace("localhost", "127.0.0.1"), stdout, stderr: () => stderr, stop };
}

const parsedLines = (lines: string[]) =>
  lines.map((line) => {
    try {
      return JSON.parse(line) as { msg: string; level: string; [k: string]: unknown };
    } catch {
      throw new Error(`stdout line is not JSON: ${line}`);
    }
  });

const tokenFile = join(cwd, ".data/dev-admin-token");

describe("bun run start (embedded, dev)", () => {
  test("stdout is one JSON object per line with progress steps; the banner is on stderr", async () => {
    const service = await start();
    try {
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      const lines = parsedLines(service.stdout);
      const steps = lines.map((l) => l.msg).filter((m) => m.startsWith("start: "));
      expect(steps).toEqual([
        "start: opening the database and applying migrations",
        "start: creating the demo catalog if the database is new",
        "start: starting the demo SAP directory",
        "start: compiling the catalog and starting the rule sandboxes",
        "start: listening",
      ]);
      expect(lines.map((l) => l.msg)).toContain("demo catalog created (first embedded start)");
      for (const line of lines) expect(["debug", "info", "warn", "error"]).toContain(line.level);
      expect(service.stderr()).toContain(`LK personalisation service on`);
      expect(service.stderr()).toContain(".data/dev-admin-token");
      // The token lives in the file only, never in the log stream.
      const token = readFileSync(tokenFile, "utf8").trim();
      expect(service.stdout.join("\n")).not.toContain(token);
    } finally {
      await service.stop();
    }
  });

  test("the dev admin token is kept across starts, and it opens the admin API", async () => {
    const first = readFileSync(tokenFile, "utf8").trim();
    expect(first).toMatch(/^dev-/);
    const service = await start();
    try {
      expect(readFileSync(tokenFile, "utf8").trim()).toBe(first);
      expect(service.stderr()).toContain("kept from an earlier start");
      const rules = await fetch(`${service.url}/admin/rules`, {
        headers: { authorization: `Bearer ${first}` },
      });
      expect(rules.status).toBe(200);
      const wrong = await fetch(`${service.url}/admin/rules`, { headers: { authorization: "Bearer dev-x" } });
      expect(wrong.status).toBe(401);
    } finally {
      await service.stop();
    }
  });
});

describe("production start", () => {
  test("without DATABASE_URL or SAP_BASE_URL it stops with one clear line, before listening", async () => {
    const child = Bun.spawn(["bun", "run", MAIN], {
      cwd,
      env: baseEnv({ NODE_ENV: "production", AUTH_JWT_SECRET: "s".repeat(32) }),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await child.exited).toBe(1);
    const stderr = (await new Response(child.stderr).text()).trim();
    expect(stderr).toBe(
      "invalid configuration: DATABASE_URL: required when NODE_ENV=production (ALLOW_EMBEDDED_DB=1 allows embedded PGlite on one box)",
    );
    expect(await new Response(child.stdout).text()).toBe("");
  });
});

const base = process.env.DATABASE_URL;
if (!base) console.log("empty-PostgreSQL start test skipped: it needs PostgreSQL; set DATABASE_URL");
describe.if(Boolean(base))("on an empty PostgreSQL database", () => {
  test("the start warns that the catalog is empty and how to fill it; db:seed fills it once", async () => {
    const name = `lk_empty_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(base ?? "", { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(base ?? "");
    url.pathname = `/${name}`;
    try {
      const service = await start({ DATABASE_URL: url.toString() });
      try {
        const warning = parsedLines(service.stdout).find((l) => l.msg.startsWith("the catalog is empty"));
        expect(warning?.level).toBe("warn");
        expect(String(warning?.hint)).toContain("bun run db:seed");
        expect(String(warning?.hint)).toContain("lk2:import");
      } finally {
        await service.stop();
      }
      const seed = () => {
        const run = Bun.spawnSync(["bun", "run", SEED], {
          cwd,
          env: baseEnv({ DATABASE_URL: url.toString() }),
        });
        return run.stdout.toString().trim();
      };
      expect(seed()).toBe("demo catalog created (postgres)");
      expect(seed()).toBe("the catalog already has rules: left as it is (postgres)");
      const again = await start({ DATABASE_URL: url.toString() });
      try {
        expect(parsedLines(again.stdout).some((l) => l.msg.startsWith("the catalog is empty"))).toBe(false);
      } finally {
        await again.stop();
      }
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
