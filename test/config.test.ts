import { describe, expect, test } from "bun:test";
import { availableParallelism } from "node:os";
import { ConfigError, defaultRuleWorkers, loadConfig } from "../src/config.ts";

/** What a production start needs at least: JWT auth, a real database and a real SAP. */
const PRODUCTION = {
  NODE_ENV: "production",
  AUTH_JWT_SECRET: "s".repeat(32),
  DATABASE_URL: "postgres://lk@db:5432/lk",
  SAP_BASE_URL: "https://sap.example.ru/sap/opu/odata/sap/ZHR_EMPLOYEE_SRV",
};

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

  test("sandbox processes: one more than the process's share of the cores, unless RULE_WORKERS says", () => {
    expect(defaultRuleWorkers(2, 1)).toBe(3);
    expect(defaultRuleWorkers(8, 4)).toBe(3);
    expect(defaultRuleWorkers(2, 4)).toBe(2);
    expect(defaultRuleWorkers(64, 1)).toBe(16);
    expect(loadConfig({}).rules.workers).toBe(defaultRuleWorkers(availableParallelism(), 1));
    expect(loadConfig({ RULE_WORKERS: "2" }).rules.workers).toBe(2);
    expect(message({ RULE_WORKERS: "0" })).toContain("RULE_WORKERS");
  });

  test("DATABASE_URL selects PostgreSQL; JWT settings imply jwt mode", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test",
      AUTH_JWT_SECRET: "s".repeat(32),
    });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/test" });
    expect(config.auth.mode).toBe("jwt");
  });

  test("production starts on PostgreSQL and a real SAP; ALLOW_EMBEDDED_DB=1 allows PGlite on one box", () => {
    expect(message(PRODUCTION)).toBe("accepted");
    const oneBox = loadConfig({ ...PRODUCTION, DATABASE_URL: "", ALLOW_EMBEDDED_DB: "1" });
    expect(oneBox.database.kind).toBe("pglite");
    // The demo SAP directory is never allowed in production, one box or not.
    expect(message({ ...PRODUCTION, SAP_BASE_URL: "", ALLOW_EMBEDDED_DB: "1" })).toStartWith(
      "invalid configuration: SAP_BASE_URL: required when NODE_ENV=production",
    );
  });

  test("a production start with only a JWT secret names what is missing, one line", () => {
    const text = message({ NODE_ENV: "production", AUTH_JWT_SECRET: "s".repeat(32) });
    expect(text).toBe(
      "invalid configuration: DATABASE_URL: required when NODE_ENV=production (ALLOW_EMBEDDED_DB=1 allows embedded PGlite on one box)",
    );
  });

  test("CORS_ORIGINS is a comma-separated list of origins; OTLP endpoint off by default", () => {
    expect(loadConfig({}).cors.origins).toEqual([]);
    expect(loadConfig({}).telemetry.otlpEndpoint).toBeUndefined();
    const config = loadConfig({
      CORS_ORIGINS: " https://lk.example.ru , http://localhost:3000/ ",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector:4318",
    });
    expect(config.cors.origins).toEqual(["https://lk.example.ru", "http://localhost:3000"]);
    expect(config.telemetry.otlpEndpoint).toBe("http://otel-collector:4318");
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
    [{ CORS_ORIGINS: "https://lk.example.ru/portal" }, "CORS_ORIGINS"],
    [{ CORS_ORIGINS: "https://lk.example.ru,lk.example.ru" }, "CORS_ORIGINS"],
    [{ CORS_ORIGINS: "*" }, "CORS_ORIGINS"],
    [{ ALLOW_EMBEDDED_DB: "maybe" }, "ALLOW_EMBEDDED_DB"],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, "OTEL_EXPORTER_OTLP_ENDPOINT"],
    [{ ...PRODUCTION, DATABASE_URL: "" }, "DATABASE_URL"],
    [{ ...PRODUCTION, SAP_BASE_URL: "" }, "SAP_BASE_URL"],
    [{ ...PRODUCTION, DATABASE_URL: "", ALLOW_EMBEDDED_DB: "0" }, "DATABASE_URL"],
  ])("a bad value stops the start with one line naming the variable: %o", (env, variable) => {
    const text = message(env as Record<string, string>);
    expect(text).toStartWith(`invalid configuration: ${variable}:`);
    expect(text).not.toContain("\n");
  });
});
