import { afterEach, describe, expect, test } from "bun:test";
import { createEvidenceSource, startMockSap } from "../../src/evidence/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { fakeClock, metricValue, sapFixtures, seededRandom, testConfig } from "./helpers.ts";

/** Each test gets its own mock SAP and source; both are closed after it. */
const sap = sapFixtures();
const setup = sap.setup;
afterEach(sap.closeAll);

describe("unknown employee (404)", () => {
  test("is `unknown`, cached negative for a while, then asked again", async () => {
    const clock = fakeClock();
    const { source, mock } = await setup({}, { now: clock.now, tuning: { negativeTtlS: 60 } });
    mock.removeEmployee("00000077");
    expect(await source.lookup("77")).toEqual({ kind: "unknown" });
    expect(await source.lookup("00000077")).toEqual({ kind: "unknown" });
    expect(mock.calls("00000077")).toBe(1);
    // Beyond the negative TTL SAP is asked again: the employee may have been hired meanwhile.
    mock.resetEmployee("00000077");
    clock.advanceS(61);
    expect((await source.lookup("77")).kind).toBe("found");
    expect(mock.calls("00000077")).toBe(2);
  });

  test("404 is not retried and does not count against the circuit", async () => {
    const { source, mock } = await setup({ size: 10 }, { tuning: { failureThreshold: 2 } });
    for (let n = 100; n < 110; n++) expect(await source.lookup(String(n))).toEqual({ kind: "unknown" });
    expect(mock.calls()).toBe(10);
    expect(source.circuitState()).toBe("closed");
  });
});

describe("401 from SAP (misconfiguration)", () => {
  test("unavailable, no retries, logged loudly once per interval, never the password", async () => {
    const { source, mock, logger } = await setup(
      { auth: { user: "LK_TECH", password: "right" } },
      { env: { SAP_USER: "LK_TECH", SAP_PASSWORD: "wrong-password" }, tuning: { failureThreshold: 100 } },
    );
    for (let i = 0; i < 5; i++) {
      const result = await source.lookup("00000005");
      expect(result).toEqual({ kind: "unavailable", reason: "sap_auth", retryAfterS: 60 });
    }
    expect(mock.calls()).toBe(5); // one call per lookup: no retry loop
    const loud = logger.lines.filter((l) => l.level === "error" && String(l.msg).includes("401/403"));
    expect(loud.length).toBe(1);
    expect(JSON.stringify(logger.lines)).not.toContain("wrong-password");
  });

  test("with the right credentials the same mock answers", async () => {
    const { source } = await setup(
      { auth: { user: "LK_TECH", password: "right" } },
      { env: { SAP_USER: "LK_TECH", SAP_PASSWORD: "right" } },
    );
    expect((await source.lookup("5")).kind).toBe("found");
  });

  test("repeated 401s open the circuit so a wrong password cannot lock the SAP user", async () => {
    const { source, mock } = await setup({ unauthorized: true }, { tuning: { failureThreshold: 3 } });
    for (let i = 0; i < 6; i++) await source.lookup("00000005");
    expect(mock.calls()).toBe(3);
    expect(source.circuitState()).toBe("open");
  });
});

describe("503 storms", () => {
  test("every call failing: bounded retries (3 calls), then unavailable with Retry-After", async () => {
    const { source, mock, metrics } = await setup({ failureRate: 1, failureStatuses: [503] });
    const result = await source.lookup("00000009");
    expect(result).toEqual({ kind: "unavailable", reason: "sap_server", retryAfterS: 5 });
    expect(mock.calls()).toBe(3);
    expect(await metricValue(metrics.sapCalls, { result: "error" })).toBe(3);
    expect(await metricValue(metrics.evidenceLookups, { outcome: "unavailable" })).toBe(1);
  });

  test("half the calls failing (500/502/503): retries carry most lookups through", async () => {
    const { source, mock } = await setup(
      { failureRate: 0.5, random: seededRandom(42) },
      { tuning: { failureThreshold: 1000 } },
    );
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => source.lookup(String(i + 1))));
    const found = results.filter((r) => r.kind === "found").length;
    const unavailable = results.filter((r) => r.kind === "unavailable").length;
    expect(found + unavailable).toBe(40);
    // With p(fail)=0.5 and 3 attempts a lookup fails with p=0.125: ~35 of 40 found.
    expect(found).toBeGreaterThanOrEqual(28);
    expect(mock.calls()).toBeLessThanOrEqual(120);
    expect(mock.calls()).toBeGreaterThan(40);
  });

  test("4xx other than 404 is never retried", async () => {
    const { source, mock } = await setup({ failureRate: 1, failureStatuses: [400] });
    const result = await source.lookup("00000009");
    expect(result).toMatchObject({ kind: "unavailable", reason: "sap_client" });
    expect(mock.calls()).toBe(1);
  });
});

describe("SAP hangs", () => {
  test("the lookup answers within the timeout budget", async () => {
    // SAP_TIMEOUT_MS=400 (helpers): budget 2.5 × 400 = 1,000 ms for all attempts together.
    const { source, mock, metrics } = await setup({ hang: true });
    const started = performance.now();
    const result = await source.lookup("00000011");
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ kind: "unavailable", reason: "sap_timeout" });
    expect(elapsed).toBeLessThan(1000 + 2000); // budget + a generous margin for a noisy machine
    expect(elapsed).toBeGreaterThanOrEqual(390); // it did wait for the first timeout
    expect(mock.calls()).toBeGreaterThanOrEqual(2);
    expect(mock.calls()).toBeLessThanOrEqual(3);
    expect(await metricValue(metrics.sapCalls, { result: "timeout" })).toBe(mock.calls());
  });

  test("slow headers then a body that never ends is still a timeout", async () => {
    const mock = await startMockSap({ size: 10 });
    sap.track(mock);
    // A fetch whose body stalls after the headers: the per-call timeout must cover the body.
    const stallingFetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"d": {'));
          init?.signal?.addEventListener("abort", () => controller.error(new Error("aborted")));
        },
      });
      return new Response(stream, { status: 200, headers: { "content-type": "application/json" } });
    }) as typeof fetch;
    const source = await createEvidenceSource({
      config: testConfig(mock.url, { SAP_TIMEOUT_MS: "200" }),
      logger: createMemoryLogger(),
      metrics: createMetrics(),
      fetch: stallingFetch,
      tuning: { retry: { baseDelayMs: 5, maxDelayMs: 10 } },
    });
    sap.track(source);
    const started = performance.now();
    expect(await source.lookup("1")).toMatchObject({ kind: "unavailable", reason: "sap_timeout" });
    expect(performance.now() - started).toBeLessThan(500 + 2000);
  });
});

describe("garbage and wrong shapes", () => {
  test("garbage JSON: unavailable, a clear log line with the personnel number, no crash", async () => {
    const { source, mock, logger } = await setup({ garbage: true });
    const result = await source.lookup("00000021");
    expect(result).toMatchObject({ kind: "unavailable", reason: "sap_garbage" });
    expect(mock.calls()).toBe(1); // a bad payload is not retried
    const line = logger.lines.find((l) => l.level === "error" && l.pernr === "00000021");
    expect(line?.msg).toBe("SAP answered something that is not the contract's shape");
    expect(String(line?.error)).toContain("not JSON");
  });

  test("wrong shape: unavailable, logged by field without the record, circuit unaffected", async () => {
    const { source, mock, logger } = await setup({}, { tuning: { failureThreshold: 2 } });
    mock.setEmployee("00000022", { Pernr: "00000022", Ename: "Секретова Анна Ивановна", Gesch: 2 });
    for (let i = 0; i < 4; i++) {
      expect(await source.lookup("22")).toMatchObject({ kind: "unavailable", reason: "sap_shape" });
    }
    expect(source.circuitState()).toBe("closed");
    const line = logger.lines.find((l) => l.level === "error" && l.pernr === "00000022");
    expect(String(line?.error)).toContain("Gesch");
    expect(JSON.stringify(logger.lines)).not.toContain("Секретова");
    // Other employees are unaffected.
    expect((await source.lookup("23")).kind).toBe("found");
  });

  test("an entity that is not an employee (a collection envelope) is a wrong shape", async () => {
    const { source, mock } = await setup();
    mock.setEmployee("00000024", { __count: "1", results: [] });
    expect(await source.lookup("24")).toMatchObject({ kind: "unavailable", reason: "sap_shape" });
  });
});
