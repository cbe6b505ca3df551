import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { Redis } from "ioredis";
import { type MockSap, startMockSap } from "../../src/evidence/index.ts";
import { fakeClock, makeSource } from "./helpers.ts";

/**
 * The shared cache needs a real Redis (REDIS_URL, else 127.0.0.1:6379). It is running on this
 * machine and in CI; the suite skips only if none is reachable at all.
 */
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`redis.test.ts: no Redis at ${REDIS_URL}, shared-cache tests skipped`);

describe.skipIf(!redisUp)("shared evidence cache in Redis", () => {
  const runPrefix = `lk:test:${crypto.randomUUID()}:`;
  let admin: Redis;
  let mock: MockSap;
  let opened: Array<{ close(): Promise<void> }> = [];
  let testNo = 0;
  let prefix = "";

  beforeAll(async () => {
    admin = new Redis(REDIS_URL);
    mock = await startMockSap({ size: 1000 });
  });
  afterEach(async () => {
    for (const thing of opened.reverse()) await thing.close();
    opened = [];
    mock.resetCalls();
  });
  afterAll(async () => {
    const keys = await admin.keys(`${runPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
    await mock.close();
  });

  const instance = async (now?: () => number, redisUrl = REDIS_URL) => {
    const made = await makeSource(mock.url, {
      env: { REDIS_URL: redisUrl, EVIDENCE_FRESH_S: "300" },
      now,
      tuning: { redisKeyPrefix: prefix },
    });
    opened.push(made.source);
    return made;
  };
  const fresh = () => {
    prefix = `${runPrefix}${++testNo}:`;
  };

  test("two instances share evidence: the second never asks SAP", async () => {
    fresh();
    const clock = fakeClock();
    const a = await instance(clock.now);
    const b = await instance(clock.now);
    const fromA = await a.source.lookup("00000101");
    expect(mock.calls()).toBe(1);
    clock.advanceS(42);
    const fromB = await b.source.lookup("101");
    expect(mock.calls()).toBe(1);
    expect(fromA).toMatchObject({ kind: "found", from: "sap" });
    expect(fromB).toMatchObject({ kind: "found", stale: false, ageS: 42, from: "redis" });
    if (fromA.kind === "found" && fromB.kind === "found") expect(fromB.evidence).toEqual(fromA.evidence);
    // B keeps it in memory now: the next lookup does not go to Redis.
    expect(await b.source.lookup("101")).toMatchObject({ kind: "found", from: "memory" });
    const stored = JSON.parse((await admin.get(`${prefix}00000101`)) ?? "{}");
    expect(stored).toMatchObject({ kind: "found", fetchedAt: clock.now() - 42_000 });
    expect(await admin.ttl(`${prefix}00000101`)).toBeGreaterThan(3000); // kept up to max stale
  });

  test("evidence read from Redis is immutable, and each memory hit after it is that same object", async () => {
    fresh();
    const a = await instance();
    const b = await instance();
    await a.source.lookup("105");
    const fromRedis = await b.source.lookup("105");
    const hit = await b.source.lookup("105");
    expect(mock.calls()).toBe(1);
    if (fromRedis.kind !== "found" || hit.kind !== "found") throw new Error("expected found");
    expect(hit.evidence).toBe(fromRedis.evidence);
    expect(Object.isFrozen(fromRedis.evidence)).toBe(true);
    expect(() => fromRedis.evidence.roles.push("admin")).toThrow(TypeError);
    expect(hit.evidence.roles).not.toContain("admin");
  });

  test("negative answers are shared too", async () => {
    fresh();
    mock.removeEmployee("00000102");
    try {
      const a = await instance();
      const b = await instance();
      expect(await a.source.lookup("102")).toEqual({ kind: "unknown" });
      expect(await b.source.lookup("102")).toEqual({ kind: "unknown" });
      expect(mock.calls()).toBe(1);
      expect(await admin.ttl(`${prefix}00000102`)).toBeLessThanOrEqual(60);
    } finally {
      mock.resetEmployee("00000102");
    }
  });

  test("a refresh by one instance is picked up by the other instead of calling SAP", async () => {
    fresh();
    const clock = fakeClock();
    const a = await instance(clock.now);
    const b = await instance(clock.now);
    await a.source.lookup("103");
    await b.source.lookup("103"); // b's memory now holds the entry
    clock.advanceS(301); // stale for both
    await a.source.lookup("103"); // a refreshes from SAP and writes Redis
    expect(mock.calls()).toBe(2);
    expect(await b.source.lookup("103")).toMatchObject({ kind: "found", stale: false, ageS: 0 });
    expect(mock.calls()).toBe(2);
  });

  test("stale evidence from Redis is served to an instance that never saw the employee", async () => {
    fresh();
    const clock = fakeClock();
    const a = await instance(clock.now);
    await a.source.lookup("104");
    mock.setFaults({ failureRate: 1 });
    try {
      clock.advanceS(900);
      const b = await instance(clock.now);
      expect(await b.source.lookup("104")).toMatchObject({ kind: "found", stale: true, ageS: 900 });
    } finally {
      mock.setFaults({ failureRate: 0 });
    }
  });

  test("an unreadable Redis value is a miss, not an error", async () => {
    fresh();
    await admin.set(`${prefix}00000105`, "{not json");
    await admin.set(`${prefix}00000106`, JSON.stringify({ kind: "found", evidence: { x: 1 }, fetchedAt: 1 }));
    const a = await instance();
    expect((await a.source.lookup("105")).kind).toBe("found");
    expect((await a.source.lookup("106")).kind).toBe("found");
    expect(mock.calls()).toBe(2);
  });

  test("Redis down never fails a lookup: logged, then straight to SAP", async () => {
    fresh();
    const down = await instance(undefined, "redis://127.0.0.1:1");
    expect((await down.source.lookup("107")).kind).toBe("found");
    expect((await down.source.lookup("107")).kind).toBe("found");
    expect(mock.calls()).toBe(1); // the in-memory tier still works
    expect(
      down.logger.lines.some((l) => l.level === "warn" && String(l.msg).includes("Redis unavailable")),
    ).toBe(true);
  });
});
