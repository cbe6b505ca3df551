/**
 * Real service processes (`bun run src/main.ts`) on a shared PostgreSQL database, for the
 * catalog propagation benchmark and the two-process test. Every process started here is
 * stopped by its own handle (its pid), never by name.
 */
import postgres from "postgres";

const REPO_ROOT = new URL("../..", import.meta.url).pathname;

export interface Instance {
  name: string;
  url: string;
  pid: number;
  /** From spawning the process to its first 200 from /readyz (catalog compiled and loaded). */
  readyMs: number;
  /** The last lines the process wrote (stdout and stderr), for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

export interface Database {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database beside the one `baseUrl` names; the services migrate it on start. */
export async function createDatabase(baseUrl: string, prefix = "lk_prop"): Promise<Database> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
}

/** Keeps the tail of a stream, so that a crashed process can be explained. */
function tail(stream: ReadableStream<Uint8Array>, keep: string[]): void {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      keep.push(...decoder.decode(value).split("\n").filter(Boolean));
      if (keep.length > 200) keep.splice(0, keep.length - 200);
    }
  })();
}

/**
 * Starts one service and waits until /readyz answers 200 (database reachable, catalog loaded).
 * Start instances on a fresh database one after another: each runs the migrations on start.
 * `root` runs another checkout of the service (the benchmark compares trees); `readyPollMs` is
 * how often /readyz is asked while it starts.
 */
export async function startInstance(
  name: string,
  env: {
    databaseUrl: string;
    adminToken: string;
    extra?: Record<string, string>;
    root?: string;
    readyPollMs?: number;
  },
  readyTimeoutMs = 60_000,
): Promise<Instance> {
  const port = freePort();
  const spawnedAt = performance.now();
  const child = Bun.spawn(["bun", "run", "src/main.ts"], {
    cwd: env.root ?? REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(port),
      DATABASE_URL: env.databaseUrl,
      ADMIN_TOKEN: env.adminToken,
      AUTH_MODE: "dev",
      LOG_LEVEL: "warn",
      ...env.extra,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  tail(child.stdout, lines);
  tail(child.stderr, lines);
  const instance: Instance = {
    name,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    readyMs: Number.NaN,
    output: () => lines.slice(-40).join("\n"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(5_000).then(() => false)]);
      if (!exited) {
        child.kill("SIGKILL");
        await child.exited;
      }
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${instance.output()}`);
    }
    const ready = await fetch(`${instance.url}/readyz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ready) {
      instance.readyMs = performance.now() - spawnedAt;
      return instance;
    }
    await Bun.sleep(env.readyPollMs ?? 100);
  }
  await instance.stop();
  throw new Error(`${name} was not ready within ${readyTimeoutMs} ms:\n${instance.output()}`);
}

/** A small client for one instance's admin and employee APIs. */
export function client(instance: Instance, adminToken: string) {
  const call = async (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${instance.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(json === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${instance.name} ${method} ${path}: ${response.status} ${text}`);
    return { body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
  };
  return {
    post: (path: string, json: unknown) => call("POST", path, json),
    put: (path: string, version: number, json: unknown) =>
      call("PUT", path, json, { "if-match": String(version) }),
    /** The section titles /user.tabs gives this employee (dev auth: the token is the personnel number). */
    async sectionTitles(personnelNumber: string): Promise<string[]> {
      const response = await fetch(`${instance.url}/user.tabs?platform=web`, {
        headers: { authorization: `Bearer ${personnelNumber}` },
      });
      if (!response.ok)
        throw new Error(`${instance.name} /user.tabs: ${response.status} ${await response.text()}`);
      const tabs = (await response.json()) as { sidebar: Array<{ sections: Array<{ title: string }> }> };
      return tabs.sidebar.flatMap((group) => group.sections.map((section) => section.title));
    },
    async catalogVersion(): Promise<number | null> {
      const response = await fetch(`${instance.url}/readyz`);
      const body = (await response.json()) as { catalog_version: number | null };
      return body.catalog_version;
    },
  };
}

export type Client = ReturnType<typeof client>;

/** The catalog the propagation runs edit: one section behind one rule, on one group. */
export const PROBE_SECTION = "Propagation probe";

export async function createProbe(admin: Client): Promise<{ ruleId: number; catalogVersion: number }> {
  const rule = await admin.post("/admin/rules", {
    name: "propagation_probe",
    title: "Propagation probe",
    expression: "false",
  });
  const group = await admin.post("/admin/sidebar-groups", { title: "Propagation", order: 0 });
  const section = await admin.post("/admin/sections", {
    title: PROBE_SECTION,
    url: "/probe",
    order: 0,
    sidebar_group_id: group.body.id,
    rule_id: rule.body.id,
  });
  return { ruleId: rule.body.id as number, catalogVersion: Number(section.headers.get("x-catalog-version")) };
}

/** The probe's expression: shows the section to everyone, or to no one. */
export const probeExpression = (visible: boolean): string =>
  visible ? 'personnel_number !== ""' : 'personnel_number === ""';

/**
 * Sets the probe rule so that the section is (or is not) shown; resolves when A has answered.
 * `expression` gives the rule's text (default probeExpression), e.g. to make the probe a long rule.
 */
export async function setProbe(
  admin: Client,
  ruleId: number,
  version: number,
  visible: boolean,
  expression: (visible: boolean) => string = probeExpression,
) {
  const changed = await admin.put(`/admin/rules/${ruleId}`, version, {
    name: "propagation_probe",
    title: "Propagation probe",
    expression: expression(visible),
  });
  return {
    version: changed.body.version as number,
    catalogVersion: Number(changed.headers.get("x-catalog-version")),
  };
}

/** Polls `reader` until the probe's visibility is `visible`; returns when it first was. */
export async function waitForProbe(
  reader: Client,
  personnelNumber: string,
  visible: boolean,
  timeoutMs: number,
  pollGapMs = 2,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const titles = await reader.sectionTitles(personnelNumber);
    const now = performance.now();
    if (titles.includes(PROBE_SECTION) === visible) return now;
    if (now > deadline)
      throw new Error(`the probe did not become ${visible ? "visible" : "hidden"} in ${timeoutMs} ms`);
    await Bun.sleep(pollGapMs);
  }
}
