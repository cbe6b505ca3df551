/**
 * WEB_CONCURRENCY: several HTTP processes on one port on purpose, and never by accident.
 * Real `bun run src/main.ts` processes; each stopped through its own handle (pid).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { DEMO_EMPLOYEES } from "../src/evidence/index.ts";
import { createDatabase, type Database, type Instance, startInstance } from "./support/service-instances.ts";

const REPO_ROOT = new URL("..", import.meta.url).pathname;
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log("WEB_CONCURRENCY=2 test skipped: it needs PostgreSQL; set DATABASE_URL");

/** Processes whose parent is `pid` and that run the service's entry point. */
function webWorkersOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        return ppid === pid && readFileSync(`/proc/${name}/cmdline`, "utf8").includes("src/main.ts");
      } catch {
        return false; // it ended while we looked
      }
    })
    .map(Number);
}

/** Fresh connections until one is answered 200 (the kernel spreads them over the sockets). */
async function answeredOnce(url: string, tries: number): Promise<boolean> {
  for (let i = 0; i < tries; i += 1) {
    const ok = await fetch(url, {
      keepalive: false,
      headers: { connection: "close", authorization: `Bearer ${DEMO_EMPLOYEES[0]?.pernr}` },
      signal: AbortSignal.timeout(300),
    }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return true;
  }
  return false;
}

describe("a second start on a port in use", () => {
  test("exits non-zero with one line naming the port", async () => {
    // Held the way Elysia's default held it (reusePort on): a second listener would have joined.
    const holder = Bun.serve({ port: 0, reusePort: true, fetch: () => new Response("other") });
    try {
      const child = Bun.spawn(["bun", "run", "src/main.ts"], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          PORT: String(holder.port),
          DATABASE_URL: "",
          PGLITE_DIR: mkdtempSync(join(tmpdir(), "lk-port-")),
          WEB_CONCURRENCY: "1",
        },
        stdout: "pipe",
        stderr: "pipe",
      });
      const code = await child.exited;
      const stderr = await new Response(child.stderr).text();
      expect(code).toBe(1);
      expect(stderr.trim().split("\n")).toEqual([expect.stringContaining(`port ${holder.port} is in use`)]);
      expect(await (await fetch(`http://127.0.0.1:${holder.port}/`)).text()).toBe("other");
    } finally {
      holder.stop(true);
    }
  });

  test("more than one process on the embedded database is refused at start", () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: "2" })).toThrow(/WEB_CONCURRENCY: .*DATABASE_URL/);
    expect(loadConfig({ WEB_CONCURRENCY: "2", DATABASE_URL: "postgres://h/db" }).webConcurrency).toBe(2);
    expect(loadConfig({}).webConcurrency).toBe(1);
  });
});

describe.skipIf(!baseUrl)("WEB_CONCURRENCY=2", () => {
  let database: Database;
  let instance: Instance;

  beforeAll(async () => {
    database = await createDatabase(baseUrl as string, "lk_t_cluster");
    instance = await startInstance("cluster", {
      databaseUrl: database.url,
      adminToken: `cluster-admin-${crypto.randomUUID()}`,
      extra: { WEB_CONCURRENCY: "2" },
    });
  });
  afterAll(async () => {
    await instance?.stop();
    await database?.drop();
  });

  test("both processes answer on the one port", async () => {
    let workers: number[] = [];
    for (let i = 0; i < 100 && workers.length === 0; i += 1) {
      workers = webWorkersOf(instance.pid);
      if (workers.length === 0) await Bun.sleep(100);
    }
    expect(workers).toHaveLength(1);
    const [worker] = workers as [number];
    const url = `${instance.url}/user.tabs?platform=web`;
    // Each process paused in turn: whatever is answered then was answered by the other one.
    process.kill(instance.pid, "SIGSTOP");
    try {
      let answered = false;
      for (let i = 0; i < 60 && !answered; i += 1) answered = await answeredOnce(url, 10); // it may still be starting
      expect(answered).toBe(true);
    } finally {
      process.kill(instance.pid, "SIGCONT");
    }
    process.kill(worker, "SIGSTOP");
    try {
      expect(await answeredOnce(url, 20)).toBe(true);
    } finally {
      process.kill(worker, "SIGCONT");
    }
  });

  test("the extra process goes when the first one stops", async () => {
    const [worker] = webWorkersOf(instance.pid);
    expect(worker).toBeNumber();
    await instance.stop();
    for (let i = 0; i < 100 && webWorkerAlive(worker as number); i += 1) await Bun.sleep(100);
    expect(webWorkerAlive(worker as number)).toBe(false);
  });
});

function webWorkerAlive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}
