import type { SapEmployee } from "../sap-entity.ts";
import { EMPLOYEE_COUNT, generateEmployee } from "./directory.ts";

/**
 * A mock of the SAP HR OData v2 service (docs/integrations.md) over real HTTP on 127.0.0.1,
 * serving the generated demo directory. Used by `bun run start` when SAP_BASE_URL is unset, by
 * the tests and by the benchmarks; its faults (latency, failure rate, hangs, garbage, 401) can
 * be changed while it runs.
 */
export interface MockSapFaults {
  /** Added before every answer. */
  latencyMs: number;
  /** Share (0..1) of requests answered with one of `failureStatuses`. */
  failureRate: number;
  failureStatuses: number[];
  /** Never answer (until close): the client's timeout has to save it. */
  hang: boolean;
  /** Answer 200 with a truncated, non-JSON body. */
  garbage: boolean;
  /** Answer 401 to everything (as if the technical user were locked). */
  unauthorized: boolean;
  /** Send Roles as `__deferred` even when `$expand=Roles` was asked (a Gateway quirk). */
  ignoreExpand: boolean;
  /** Listing requests with `$skip` at or past this answer 503 (a sync failing mid-way). */
  listingFailsFromSkip?: number;
}

export interface MockSapOptions extends Partial<MockSapFaults> {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1; `0.0.0.0` when it runs as its own container (deploy/). */
  hostname?: string;
  /** When set, requests must carry these Basic credentials (else 401). */
  auth?: { user: string; password: string };
  /** Employees 00000001..size exist (default 300,000). */
  size?: number;
  /** Where entities come from (default: the generated demo directory). */
  directory?: (pernr: string) => SapEmployee | undefined;
  /** Largest page the listing serves when `$top` is missing or bigger. */
  maxPageSize?: number;
  /** For failureRate; defaults to Math.random. */
  random?: () => number;
}

export interface MockSapRequest {
  path: string;
  search: string;
  authorization: string | null;
  sapClient: string | null;
}

export interface MockSap {
  /** The OData service root, to use as SAP_BASE_URL. */
  url: string;
  port: number;
  /** Requests received: all of them, or those for one employee (entity and its Roles). */
  calls(pernr?: string): number;
  /** Requests received by kind: "employee", "roles", "list", "other". */
  callsByPath(): Record<string, number>;
  /** The last requests (at most 1,000), oldest first. */
  requests(): readonly MockSapRequest[];
  resetCalls(): void;
  setFaults(faults: Partial<MockSapFaults>): void;
  /** Serves exactly this entity (any JSON, even a wrong shape) for `pernr`. */
  setEmployee(pernr: string, entity: unknown): void;
  /** `pernr` answers 404 from now on. */
  removeEmployee(pernr: string): void;
  /** Back to the directory's entity for `pernr`. */
  resetEmployee(pernr: string): void;
  close(): Promise<void>;
}

export const SERVICE_PATH = "/sap/opu/odata/sap/ZHR_LK_EMPLOYEE_SRV";
const ENTITY = new RegExp(`^${SERVICE_PATH}/EmployeeSet\\('([^']*)'\\)(/Roles)?$`);
const LIST = `${SERVICE_PATH}/EmployeeSet`;

const odataError = (code: string, value: string) => ({ error: { code, message: { lang: "en", value } } });
const NOT_FOUND = odataError("/IWBEP/CM_MGW_RT/020", "Resource not found for segment 'Employee'");

export async function startMockSap(options: MockSapOptions = {}): Promise<MockSap> {
  const faults: MockSapFaults = {
    latencyMs: options.latencyMs ?? 0,
    failureRate: options.failureRate ?? 0,
    failureStatuses: options.failureStatuses ?? [500, 502, 503],
    hang: options.hang ?? false,
    garbage: options.garbage ?? false,
    unauthorized: options.unauthorized ?? false,
    ignoreExpand: options.ignoreExpand ?? false,
  };
  const size = options.size ?? EMPLOYEE_COUNT;
  const directory = options.directory ?? generateEmployee;
  const maxPageSize = options.maxPageSize ?? 5000;
  const random = options.random ?? Math.random;
  const expectedAuth = options.auth
    ? `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`, "utf8").toString("base64")}`
    : undefined;

  const overrides = new Map<string, unknown>(); // null = removed
  const perPernr = new Map<string, number>();
  const perKind: Record<string, number> = {};
  let total = 0;
  let recent: MockSapRequest[] = [];
  const hanging = new Set<() => void>();
  let root = "";

  const entityOf = (pernr: string): unknown => {
    if (overrides.has(pernr)) return overrides.get(pernr) ?? undefined;
    if (!/^\d{8}$/.test(pernr) || Number(pernr) < 1 || Number(pernr) > size) return undefined;
    return directory(pernr);
  };

  const withRoles = (entity: unknown, pernr: string, expand: boolean): unknown => {
    if (expand || !isRecord(entity) || !("Roles" in entity)) return entity;
    return { ...entity, Roles: { __deferred: { uri: `${root}/EmployeeSet('${pernr}')/Roles` } } };
  };

  const answer = (url: URL): Response => {
    const q = url.searchParams;
    if (q.get("$format") !== "json") {
      // SAP Gateway's default is Atom XML; the contract says always ask for JSON.
      return new Response(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
        {
          headers: { "content-type": "application/atom+xml;type=feed; charset=utf-8" },
        },
      );
    }
    const expand = !faults.ignoreExpand && (q.get("$expand") ?? "").split(",").includes("Roles");
    const path = safeDecode(url.pathname);
    const match = ENTITY.exec(path);
    if (match) {
      const pernr = match[1] as string;
      const entity = entityOf(pernr);
      if (entity === undefined) return json(404, NOT_FOUND);
      if (match[2]) {
        const roles = isRecord(entity) && isRecord(entity.Roles) ? entity.Roles : { results: [] };
        return json(200, { d: "results" in roles ? { results: roles.results } : { results: [] } });
      }
      return json(200, { d: withRoles(entity, pernr, expand) });
    }
    if (path === LIST) return list(q, expand);
    return new Response("<html><body><h1>404 Not found</h1>ICF service not active</body></html>", {
      status: 404,
      headers: { "content-type": "text/html" },
    });
  };

  const list = (q: URLSearchParams, expand: boolean): Response => {
    const top = q.has("$top") ? Number(q.get("$top")) : maxPageSize;
    const skip = q.has("$skip") ? Number(q.get("$skip")) : 0;
    if (!Number.isInteger(top) || top < 0 || !Number.isInteger(skip) || skip < 0) {
      return json(400, odataError("/IWBEP/CM_MGW_RT/004", "Invalid system query option $top or $skip"));
    }
    if (faults.listingFailsFromSkip !== undefined && skip >= faults.listingFailsFromSkip) {
      return json(503, odataError("/IWBEP/CM_MGW_RT/000", "Simulated listing failure"));
    }
    // The listing follows the directory: overridden entities as overridden, removed ones left out
    // (so $skip counts the employees that are still there, as SAP's does).
    const removed = [...overrides]
      .filter(([, entity]) => entity === null)
      .map(([pernr]) => Number(pernr))
      .filter((n) => n >= 1 && n <= size)
      .sort((a, b) => a - b);
    let n = skip + 1;
    let k = 0;
    for (; k < removed.length && (removed[k] as number) <= n; k++) n++;
    const results: unknown[] = [];
    for (; n <= size && results.length < Math.min(top, maxPageSize); n++) {
      if (removed[k] === n) {
        k++;
        continue;
      }
      const pernr = String(n).padStart(8, "0");
      const entity = overrides.get(pernr) ?? directory(pernr);
      if (entity !== undefined) results.push(withRoles(entity, pernr, expand));
    }
    const count = String(size - removed.length);
    const d = q.get("$inlinecount") === "allpages" ? { __count: count, results } : { results };
    return json(200, { d });
  };

  const server = Bun.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    idleTimeout: 0,
    fetch: async (request) => {
      const url = new URL(request.url);
      const path = safeDecode(url.pathname);
      count(path, url, request);
      if (faults.latencyMs > 0) await Bun.sleep(faults.latencyMs);
      const response = await fault(request);
      const sapClient = url.searchParams.get("sap-client");
      if (sapClient) response.headers.set("sap-client", sapClient);
      response.headers.set("dataserviceversion", "2.0");
      return response;
    },
  });
  root = `http://127.0.0.1:${server.port}${SERVICE_PATH}`;

  function count(path: string, url: URL, request: Request): void {
    total++;
    const match = ENTITY.exec(path);
    const kind = match ? (match[2] ? "roles" : "employee") : path === LIST ? "list" : "other";
    perKind[kind] = (perKind[kind] ?? 0) + 1;
    if (match) perPernr.set(match[1] as string, (perPernr.get(match[1] as string) ?? 0) + 1);
    recent.push({
      path,
      search: url.search,
      authorization: request.headers.get("authorization"),
      sapClient: url.searchParams.get("sap-client"),
    });
    if (recent.length > 1000) recent = recent.slice(-1000);
  }

  async function fault(request: Request): Promise<Response> {
    if (faults.hang) {
      await new Promise<void>((resolve) => hanging.add(resolve));
      return json(503, odataError("/IWBEP/CM_MGW_RT/000", "Service shutting down"));
    }
    if (faults.unauthorized || (expectedAuth && request.headers.get("authorization") !== expectedAuth)) {
      return new Response("<html><body>Logon failed</body></html>", {
        status: 401,
        headers: {
          "content-type": "text/html",
          "www-authenticate": 'Basic realm="SAP NetWeaver Application Server"',
        },
      });
    }
    if (faults.failureRate > 0 && random() < faults.failureRate) {
      const statuses = faults.failureStatuses.length > 0 ? faults.failureStatuses : [503];
      const status = statuses[Math.floor(random() * statuses.length)] ?? 503;
      return json(status, odataError("/IWBEP/CM_MGW_RT/000", `Simulated failure ${status}`));
    }
    if (faults.garbage) {
      return new Response('{"d": {"__metadata": {"id": "EmployeeSet(\'0001', {
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    }
    return answer(new URL(request.url));
  }

  return {
    url: root,
    port: server.port as number,
    calls: (pernr) => (pernr === undefined ? total : (perPernr.get(pernr) ?? 0)),
    callsByPath: () => ({ ...perKind }),
    requests: () => recent,
    resetCalls: () => {
      total = 0;
      perPernr.clear();
      for (const key of Object.keys(perKind)) delete perKind[key];
      recent = [];
    },
    setFaults: (next) => {
      Object.assign(faults, next);
      if (!faults.hang) releaseHanging();
    },
    setEmployee: (pernr, entity) => {
      overrides.set(pernr, entity);
    },
    removeEmployee: (pernr) => {
      overrides.set(pernr, null);
    },
    resetEmployee: (pernr) => {
      overrides.delete(pernr);
    },
    close: async () => {
      releaseHanging();
      await server.stop(true);
    },
  };

  function releaseHanging(): void {
    for (const release of hanging) release();
    hanging.clear();
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
