import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { LogThrottle } from "./log-throttle.ts";
import { mapSapEmployee } from "./map.ts";
import { normalizePernr } from "./pernr.ts";
import { defaultRetryPolicy, type RetryDeps, type RetryPolicy, withRetry } from "./retry.ts";
import { SapError } from "./sap-error.ts";
import type { EmployeeEvidence } from "./schema.ts";

export interface SapClientOptions {
  /** OData service root, e.g. https://sap-gw.example/sap/opu/odata/sap/ZHR_LK_EMPLOYEE_SRV */
  baseUrl: string;
  user?: string;
  password?: string;
  /** `sap-client`, sent on every call when set. */
  client?: string;
  /** Per-call timeout (SAP_TIMEOUT_MS). */
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  logger: Logger;
  metrics: Metrics;
  fetch?: typeof fetch;
  /** Wall clock for log throttling. */
  now?: () => number;
  retryDeps?: RetryDeps;
}

export interface EmployeePage {
  /** `__count` when SAP sent it ($inlinecount=allpages). */
  count: number | undefined;
  /** Rows SAP returned (mapped or not): a page with fewer rows than `top` is the last. */
  rows: number;
  employees: EmployeeEvidence[];
  /** Rows that failed the mapping (logged by personnel number, skipped). */
  rejected: number;
  /** Their personnel numbers, where the row had one (a directory copy keeps their last good data). */
  rejectedPernrs: string[];
}

const AUTH_LOG_INTERVAL_MS = 60_000;
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * The SAP HR OData v2 client (docs/integrations.md): one employee by personnel number, and
 * the paged listing. Every call has a timeout and is retried on timeouts, network errors and
 * 5xx within the retry policy's budget; 4xx are never retried. It maps to evidence; it does not
 * cache (see sap-evidence-source.ts).
 */
export class SapClient {
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly policy: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly logs: LogThrottle;
  private readonly authLogs: LogThrottle;

  constructor(private readonly options: SapClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, "");
    this.headers = { Accept: "application/json" };
    if (options.user !== undefined) {
      const credentials = Buffer.from(`${options.user}:${options.password ?? ""}`, "utf8").toString("base64");
      this.headers.Authorization = `Basic ${credentials}`;
    }
    this.policy = { ...defaultRetryPolicy(options.timeoutMs), ...options.retry };
    this.fetchImpl = options.fetch ?? fetch;
    this.logs = new LogThrottle(options.logger, FAILURE_LOG_INTERVAL_MS, options.now ?? Date.now);
    this.authLogs = new LogThrottle(options.logger, AUTH_LOG_INTERVAL_MS, options.now ?? Date.now);
  }

  /** The longest one getEmployee or listEmployees can take, whatever SAP does (+ timer slack). */
  get budgetMs(): number {
    return this.policy.budgetMs;
  }

  /**
   * One employee, or `null` when SAP says there is none (404 with an OData error body). An
   * invalid personnel number is `null` without any call. Throws SapError otherwise.
   */
  async getEmployee(personnelNumber: string): Promise<EmployeeEvidence | null> {
    const pernr = normalizePernr(personnelNumber);
    if (!pernr) return null;
    const key = `EmployeeSet('${encodeURIComponent(pernr)}')`;
    const started = this.elapsed();
    const body = await this.get(`/${key}`, { $expand: "Roles" }, pernr, true);
    if (body === null) return null;
    const entity = this.checked(() => dataOf(body), pernr);
    if (isRecord(entity) && isRecord(entity.Roles) && "__deferred" in entity.Roles) {
      // Asked to expand, got a link: fetch the roles ourselves (never follow SAP's absolute uri),
      // within what is left of the same budget.
      const left = this.policy.budgetMs - (this.elapsed() - started);
      if (left < this.policy.minAttemptMs) {
        throw this.fail(new SapError("timeout", "no time left to fetch the deferred Roles"), pernr);
      }
      const roles = await this.get(`/${key}/Roles`, {}, pernr, true, left);
      entity.Roles = roles === null ? { results: [] } : this.checked(() => dataOf(roles), pernr);
    }
    return this.checked(() => mapSapEmployee(entity), pernr);
  }

  /** One page of the listing: `$top` rows from `$skip`, with `__count`. */
  async listEmployees(top: number, skip: number): Promise<EmployeePage> {
    if (!Number.isInteger(top) || top < 1 || !Number.isInteger(skip) || skip < 0) {
      throw new RangeError("top must be a positive integer and skip a non-negative integer");
    }
    const body = await this.get(
      "/EmployeeSet",
      { $expand: "Roles", $top: String(top), $skip: String(skip), $inlinecount: "allpages" },
      undefined,
      false,
    );
    const d = isRecord(body) ? body.d : undefined;
    if (!isRecord(d) || !Array.isArray(d.results)) {
      throw this.fail(new SapError("shape", "SAP listing has no d.results array"), undefined);
    }
    const count = typeof d.__count === "string" && /^\d+$/.test(d.__count) ? Number(d.__count) : undefined;
    const employees: EmployeeEvidence[] = [];
    let rejected = 0;
    const rejectedPernrs: string[] = [];
    for (const row of d.results) {
      try {
        employees.push(mapSapEmployee(row));
      } catch (error) {
        rejected++;
        const pernr = isRecord(row) && typeof row.Pernr === "string" ? row.Pernr : undefined;
        const normal = normalizePernr(pernr?.trim());
        if (normal) rejectedPernrs.push(normal);
        this.options.logger.warn("SAP listing row skipped", { pernr, error: String(error) });
      }
    }
    return { count, rows: d.results.length, employees, rejected, rejectedPernrs };
  }

  /** Every employee, page by page, until a page comes back with fewer than `pageSize` rows. */
  async *allEmployees(pageSize = 1000): AsyncGenerator<EmployeePage> {
    for (let skip = 0; ; skip += pageSize) {
      const page = await this.listEmployees(pageSize, skip);
      yield page;
      if (page.rows < pageSize) return;
    }
  }

  private elapsed(): number {
    return this.options.retryDeps?.elapsedClock?.() ?? performance.now();
  }

  private checked<T>(step: () => T, pernr: string): T {
    try {
      return step();
    } catch (error) {
      throw this.fail(error, pernr);
    }
  }

  /** GET with retries. Returns parsed JSON, or `null` for an OData 404 when `notFoundIsNull`. */
  private async get(
    path: string,
    query: Record<string, string>,
    pernr: string | undefined,
    notFoundIsNull: boolean,
    budgetMs = this.policy.budgetMs,
  ): Promise<unknown> {
    const url = this.url(path, query);
    try {
      return await withRetry(
        (_attempt, timeoutMs) => this.attempt(url, timeoutMs, notFoundIsNull),
        { ...this.policy, budgetMs },
        (error) => error instanceof SapError && error.retryable,
        this.options.retryDeps,
        (error, attempt, delayMs) =>
          this.options.logger.debug("SAP call failed, retrying", {
            pernr,
            attempt: attempt + 1,
            delayMs,
            error: String(error),
          }),
      );
    } catch (error) {
      throw this.fail(error, pernr);
    }
  }

  private url(path: string, query: Record<string, string>): string {
    // Built by hand: OData wants `$expand`, not URLSearchParams' `%24expand`. Values are ours.
    const params = {
      ...query,
      $format: "json",
      ...(this.options.client ? { "sap-client": this.options.client } : {}),
    };
    const search = Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join("&");
    return `${this.base}${path}?${search}`;
  }

  /** One HTTP call under one timeout that covers the headers and the whole body. */
  private async attempt(url: string, timeoutMs: number, notFoundIsNull: boolean): Promise<unknown> {
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new SapError("timeout", `SAP did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const calls = this.options.metrics.sapCalls;
    const started = performance.now();
    try {
      const exchange = async () => {
        const response = await this.fetchImpl(url, { headers: this.headers, signal: controller.signal });
        const text = await response.text();
        return { response, text };
      };
      const { response, text } = await Promise.race([exchange(), timeout]);
      const result = interpret(response.status, text, response.headers.get("content-type"), notFoundIsNull);
      calls.inc({ result: response.status === 404 ? "not_found" : "ok" });
      return result;
    } catch (error) {
      if (timedOut || (error instanceof SapError && error.kind === "timeout")) {
        calls.inc({ result: "timeout" });
        throw error instanceof SapError
          ? error
          : new SapError("timeout", `SAP did not answer within ${timeoutMs} ms`);
      }
      calls.inc({ result: "error" });
      if (error instanceof SapError) throw error;
      throw new SapError(
        "network",
        `SAP unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.options.metrics.sapCallDuration.observe((performance.now() - started) / 1000);
      clearTimeout(timer);
      timeout.catch(() => {});
    }
  }

  /** Logs a final failure (throttled; auth failures at error level) and returns it to throw. */
  private fail(error: unknown, pernr: string | undefined): unknown {
    if (!(error instanceof SapError)) return error;
    const fields = { pernr, kind: error.kind, status: error.status, error: error.message };
    if (error.kind === "auth") {
      this.authLogs.log(
        "auth",
        "error",
        "SAP refuses the technical user (401/403): check SAP_USER / SAP_PASSWORD / SAP_CLIENT; lookups answer 503 until fixed",
        { kind: error.kind, status: error.status },
      );
    } else if (error.kind === "shape" || error.kind === "garbage") {
      // Per record: log each one, but not the payload.
      this.options.logger.error("SAP answered something that is not the contract's shape", fields);
    } else if (error.kind === "client") {
      this.logs.log("client", "error", "SAP refused our request (4xx): check SAP_BASE_URL", fields);
    } else {
      this.logs.log(error.kind, "warn", "SAP call failed after retries", fields);
    }
    return error;
  }
}

/** Status + body → parsed JSON, or a SapError saying what is wrong. */
function interpret(
  status: number,
  text: string,
  contentType: string | null,
  notFoundIsNull: boolean,
): unknown {
  if (status === 401 || status === 403) throw new SapError("auth", `SAP answered ${status}`, status);
  if (status >= 500) throw new SapError("server", `SAP answered ${status}`, status);
  if (status === 404 && notFoundIsNull) {
    // SAP's "no such entity" carries an OData error body; a bare 404 (HTML from the ICF) means
    // the service path is wrong, and must not turn every employee into "unknown".
    const body = parseJson(text);
    if (isRecord(body) && isRecord(body.error)) return null;
    throw new SapError(
      "client",
      "SAP answered 404 without an OData error body (wrong SAP_BASE_URL?)",
      status,
    );
  }
  if (status < 200 || status >= 300) throw new SapError("client", `SAP answered ${status}`, status);
  const body = parseJson(text);
  if (body === undefined) {
    throw new SapError(
      "garbage",
      `SAP answered ${status} with a body that is not JSON (${contentType ?? "no content-type"}, ${text.length} chars)`,
      status,
    );
  }
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function dataOf(body: unknown): unknown {
  if (isRecord(body) && isRecord(body.d)) return body.d;
  throw new SapError("shape", "SAP answer has no `d` object");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
