import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "../src/config.ts";

const message = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return "accepted";
};

describe("config", () => {
  test("defaults: embedded PGlite, demo SAP, dev auth, Moscow time, api.md cache numbers", () => {
    const config = loadConfig({});
    expect(config.port).toBe(8000);
    expect(config.database).toEqual({ kind: "pglite", dir: "./.data/pglite" });
    expect(config.sap.baseUrl).toBeUndefined();
    expect(config.auth.mode).toBe("dev");
    expect(config.auth.adminToken).toBeUndefined();
    expect(config.timeZone).toBe("Europe/Moscow");
    expect(config.evidence).toEqual({ freshS: 300, maxStaleS: 3600, cacheSize: 50_000, redisUrl: undefined });
  });

  test("DATABASE_URL selects PostgreSQL; JWT settings imply jwt mode", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
      AUTH_JWT_SECRET: "s".repeat(32),
    });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/test" });
    expect(config.auth.mode).toBe("jwt");
  });

  test.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://localhost/x" }, "DATABASE_URL"],
    [{ SAP_BASE_URL: "not a url" }, "SAP_BASE_URL"],
    [{ SAP_CLIENT: "1000" }, "SAP_CLIENT"],
    [{ AUTH_MODE: "basic" }, "AUTH_MODE"],
    [{ AUTH_MODE: "jwt" }, "AUTH_MODE"],
    [{ NODE_ENV: "production" }, "AUTH_MODE"],
    [{ LK_TIMEZONE: "Europe/Atlantis" }, "LK_TIMEZONE"],
    [{ EVIDENCE_FRESH_S: "-1" }, "EVIDENCE_FRESH_S"],
    [{ EVIDENCE_FRESH_S: "600", EVIDENCE_MAX_STALE_S: "60" }, "EVIDENCE_MAX_STALE_S"],
    [{ REDIS_URL: "http://localhost" }, "REDIS_URL"],
    [{ ADMIN_TOKEN: "short" }, "ADMIN_TOKEN"],
  ])("a bad value stops the start with one line naming the variable: %o", (env, variable) => {
    const text = message(env as Record<string, string>);
    expect(text).toStartWith(`invalid configuration: ${variable}:`);
    expect(text).not.toContain("\n");
  });
});
