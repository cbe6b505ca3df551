/** The request's extras a rule may read: today in the service's zone, now floored to the minute. */
import { describe, expect, test } from "bun:test";
import { requestExtras } from "../../src/evidence/schema.ts";

describe("requestExtras", () => {
  test("today is the date in the zone, now is floored to the minute", () => {
    // 22:30:45 UTC is already the next day in Moscow (UTC+3).
    const at = new Date("2026-12-01T22:30:45.123Z");
    expect(requestExtras(at, "Europe/Moscow", "ios")).toEqual({
      today: "2026-12-02",
      now: "2026-12-01T22:30:00.000Z",
      platform: "ios",
    });
    expect(requestExtras(at, "UTC", "ios").today).toBe("2026-12-01");
  });

  test("one frozen object per minute, zone and platform; the next minute is new", () => {
    const a = requestExtras(new Date("2026-12-01T10:15:01Z"), "Europe/Moscow", "web");
    expect(Object.isFrozen(a)).toBe(true);
    expect(requestExtras(new Date("2026-12-01T10:15:59Z"), "Europe/Moscow", "web")).toBe(a);
    expect(requestExtras(new Date("2026-12-01T10:15:30Z"), "Europe/Moscow", "android")).not.toBe(a);
    const next = requestExtras(new Date("2026-12-01T10:16:00Z"), "Europe/Moscow", "web");
    expect(next).not.toBe(a);
    expect(next.now).toBe("2026-12-01T10:16:00.000Z");
    // Back to an earlier minute (a clock set back): worked out again, not the later answer.
    expect(requestExtras(new Date("2026-12-01T10:15:10Z"), "Europe/Moscow", "web").now).toBe(
      "2026-12-01T10:15:00.000Z",
    );
  });
});
