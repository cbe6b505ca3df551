import { afterEach, describe, expect, test } from "bun:test";
import { defaultRetryPolicy, mapSapEmployee } from "../../src/evidence/index.ts";
import { generateEmployee } from "../../src/evidence/mock-sap/directory.ts";
import { withRetry } from "../../src/evidence/retry.ts";
import { fakeClock, metricValue, sapFixtures } from "./helpers.ts";

/** Each test gets its own mock SAP and source; both are closed after it. */
const sap = sapFixtures();
const setup = sap.setup;
afterEach(sap.closeAll);

describe("coalescing", () => {
  test("100 concurrent lookups of one employee make exactly one SAP call", async () => {
    const { source, mock } = await setup({ latencyMs: 100 });
    const results = await Promise.all(Array.from({ length: 100 }, () => source.lookup("00000321")));
    expect(mock.calls()).toBe(1);
    expect(mock.calls("00000321")).toBe(1);
    expect(results.every((r) => r.kind === "found" && r.evidence.personnel_number === "00000321")).toBe(true);
  });

  test("concurrent lookups of different employees are not merged", async () => {
    const { source, mock } = await setup({ latencyMs: 20 });
    await Promise.all(["1", "2", "3", "1", "2", "3"].map((p) => source.lookup(p)));
    expect(mock.calls()).toBe(3);
  });

  test("a coalesced failure is shared too: 50 lookups during a 503 storm = one retried call", async () => {
    const { source, mock } = await setup({ latencyMs: 20, failureRate: 1, failureStatuses: [503] });
    const results = await Promise.all(Array.from({ length: 50 }, () => source.lookup("00000322")));
    expect(results.every((r) => r.kind === "unavailable")).toBe(true);
    expect(mock.calls()).toBe(3);
  });
});

describe("cache: fresh, stale, refresh", () => {
  test("fresh for EVIDENCE_FRESH_S without SAP; then refreshed from SAP", async () => {
    const clock = fakeClock();
    const { source, mock, metrics } = await setup({}, { now: clock.now, env: { EVIDENCE_FRESH_S: "300" } });
    expect(await source.lookup("5")).toMatchObject({ kind: "found", stale: false, ageS: 0, from: "sap" });
    clock.advanceS(299);
    expect(await source.lookup("5")).toMatchObject({
      kind: "found",
      stale: false,
      ageS: 299,
      from: "memory",
    });
    expect(mock.calls()).toBe(1);
    clock.advanceS(2);
    expect(await source.lookup("5")).toMatchObject({ kind: "found", stale: false, ageS: 0 });
    expect(mock.calls()).toBe(2);
    expect(await metricValue(metrics.evidenceLookups, { outcome: "fresh" })).toBe(1);
    expect(await metricValue(metrics.evidenceLookups, { outcome: "miss" })).toBe(2);
  });

  test("stale served while SAP is down (up to max stale), refreshed after recovery", async () => {
    const clock = fakeClock();
    const { source, mock, metrics } = await setup(
      {},
      {
        now: clock.now,
        env: { EVIDENCE_FRESH_S: "300", EVIDENCE_MAX_STALE_S: "3600" },
        tuning: { failureThreshold: 3, cooldownMs: 30_000 },
      },
    );
    const first = await source.lookup("00000055");
    expect(first).toMatchObject({ kind: "found", stale: false });

    mock.setFaults({ failureRate: 1, failureStatuses: [503] });
    clock.advanceS(600);
    const stale = await source.lookup("00000055");
    expect(stale).toMatchObject({ kind: "found", stale: true, ageS: 600 });
    if (stale.kind === "found" && first.kind === "found") expect(stale.evidence).toEqual(first.evidence);
    expect(await metricValue(metrics.evidenceLookups, { outcome: "stale" })).toBe(1);

    // Someone never seen before cannot be served while SAP is down.
    expect(await source.lookup("00000056")).toMatchObject({ kind: "unavailable" });

    // The employee changes in SAP while it is down; SAP comes back.
    const changed = { ...generateEmployee("00000055"), PlansText: "Директор магазина" };
    mock.setEmployee("00000055", changed);
    mock.setFaults({ failureRate: 0 });
    clock.advanceS(31); // past any circuit cool-down
    const refreshed = await source.lookup("00000055");
    expect(refreshed).toMatchObject({ kind: "found", stale: false, ageS: 0 });
    if (refreshed.kind === "found") expect(refreshed.evidence).toEqual(mapSapEmployee(changed));
  });

  test("older than max stale while SAP is down: unavailable", async () => {
    const clock = fakeClock();
    const { source, mock } = await setup(
      {},
      { now: clock.now, env: { EVIDENCE_FRESH_S: "300", EVIDENCE_MAX_STALE_S: "3600" } },
    );
    await source.lookup("7");
    mock.setFaults({ failureRate: 1 });
    clock.advanceS(3601);
    expect(await source.lookup("7")).toMatchObject({ kind: "unavailable", reason: "sap_server" });
  });

  test("the LRU is bounded by EVIDENCE_CACHE_SIZE", async () => {
    const { source, mock } = await setup({}, { env: { EVIDENCE_CACHE_SIZE: "2" } });
    for (const p of ["1", "2", "1", "2"]) await source.lookup(p);
    expect(mock.calls()).toBe(2);
    await source.lookup("3"); // evicts 1 (least recently used)
    await source.lookup("1");
    expect(mock.calls("00000001")).toBe(2);
    expect(mock.calls("00000002")).toBe(1);
  });
});

describe("circuit breaker", () => {
  test("opens after N consecutive failures, fails fast, probes after the cool-down, closes", async () => {
    const clock = fakeClock();
    const { source, mock, metrics, logger } = await setup(
      { failureRate: 1, failureStatuses: [502] },
      { now: clock.now, tuning: { failureThreshold: 3, cooldownMs: 10_000 } },
    );
    for (const p of ["1", "2", "3"]) expect((await source.lookup(p)).kind).toBe("unavailable");
    expect(mock.calls()).toBe(9); // 3 lookups × 3 attempts
    expect(source.circuitState()).toBe("open");
    expect(await metricValue(metrics.sapCircuitOpen)).toBe(1);
    expect(logger.lines.some((l) => l.msg.startsWith("SAP circuit opened"))).toBe(true);

    // Open: no call reaches SAP; Retry-After is the rest of the cool-down.
    clock.advanceS(4);
    expect(await source.lookup("4")).toEqual({
      kind: "unavailable",
      reason: "sap_circuit_open",
      retryAfterS: 6,
    });
    expect(mock.calls()).toBe(9);
    expect(await metricValue(metrics.sapCalls, { result: "circuit_open" })).toBe(1);

    // Half-open probe fails: open again for another cool-down.
    clock.advanceS(6);
    expect((await source.lookup("5")).kind).toBe("unavailable");
    expect(mock.calls()).toBe(12);
    expect(source.circuitState()).toBe("open");
    expect(await source.lookup("6")).toMatchObject({ reason: "sap_circuit_open", retryAfterS: 10 });

    // SAP recovers; after the cool-down one probe passes and closes the circuit.
    mock.setFaults({ failureRate: 0 });
    clock.advanceS(10);
    expect((await source.lookup("7")).kind).toBe("found");
    expect(source.circuitState()).toBe("closed");
    expect(await metricValue(metrics.sapCircuitOpen)).toBe(0);
    expect((await source.lookup("8")).kind).toBe("found");
  });

  test("half-open lets exactly one probe through; concurrent lookups fail fast meanwhile", async () => {
    const clock = fakeClock();
    const { source, mock } = await setup(
      { failureRate: 1, failureStatuses: [503] },
      { now: clock.now, tuning: { failureThreshold: 1, cooldownMs: 5_000 } },
    );
    await source.lookup("1");
    expect(source.circuitState()).toBe("open");
    mock.setFaults({ failureRate: 0, latencyMs: 100 });
    mock.resetCalls();
    clock.advanceS(5);
    const results = await Promise.all(["2", "3", "4", "5"].map((p) => source.lookup(p)));
    expect(mock.calls()).toBe(1);
    expect(results.filter((r) => r.kind === "found").length).toBe(1);
    expect(results.filter((r) => r.kind === "unavailable" && r.reason === "sap_circuit_open").length).toBe(3);
    expect(source.circuitState()).toBe("closed");
  });

  test("successes reset the consecutive-failure count", async () => {
    const { source, mock } = await setup({}, { tuning: { failureThreshold: 2 } });
    for (let i = 0; i < 5; i++) {
      mock.setFaults({ failureRate: 1 });
      await source.lookup(String(100 + i));
      mock.setFaults({ failureRate: 0 });
      await source.lookup(String(200 + i));
    }
    expect(source.circuitState()).toBe("closed");
  });
});

describe("retry policy bounds", () => {
  test("never more than `attempts`, never past the budget, 4xx-like errors not retried", async () => {
    const policy = defaultRetryPolicy(2000);
    expect(policy).toMatchObject({ attempts: 3, attemptTimeoutMs: 2000, budgetMs: 5000 });
    let t = 0;
    const deps = {
      elapsedClock: () => t,
      random: () => 1,
      sleep: async (ms: number) => {
        t += ms;
      },
    };
    const timeouts: number[] = [];
    const hanging = async (_attempt: number, timeoutMs: number) => {
      timeouts.push(timeoutMs);
      t += timeoutMs; // the attempt used its whole timeout
      throw new Error("timeout");
    };
    await expect(withRetry(hanging, policy, () => true, deps)).rejects.toThrow("timeout");
    expect(timeouts).toEqual([2000, 2000, 700]); // 2000 + 100 + 2000 + 200 + 700 = 5000
    expect(t).toBeLessThanOrEqual(policy.budgetMs);

    let calls = 0;
    const refused = async () => {
      calls++;
      throw new Error("401");
    };
    await expect(withRetry(refused, policy, () => false, deps)).rejects.toThrow("401");
    expect(calls).toBe(1);
  });
});

describe("returned evidence", () => {
  test("is frozen: a caller cannot change what the next request sees", async () => {
    const { source } = await setup();
    const first = await source.lookup("12");
    if (first.kind !== "found") throw new Error("expected found");
    expect(Object.isFrozen(first.evidence)).toBe(true);
    expect(() => first.evidence.apps.push("x")).toThrow();
    const again = await source.lookup("12");
    if (again.kind === "found") expect(again.evidence.apps).not.toContain("x");
  });
});
