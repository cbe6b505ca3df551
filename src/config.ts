import { availableParallelism } from "node:os";
import { z } from "zod";

/**
 * The service's whole configuration: one zod schema over the environment (see README and
 * docs/api.md). Parsed once at start; a bad value stops the start with one line naming it.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** `1`/`true`/`yes` is on; unset, empty, `0`/`false`/`no` is off. */
const flag = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim().toLowerCase())
  .pipe(z.enum(["", "0", "1", "false", "true", "no", "yes"], { message: "1 or 0" }))
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** `https://lk.example.ru,http://localhost:3000`: each an origin (scheme, host, port; no path). */
const origins = optionalString.transform((value, ctx) => {
  const list = (value ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {}
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, "")) {
      ctx.addIssue({ code: "custom", message: `not an origin (scheme://host[:port]): ${origin}` });
      return z.NEVER;
    }
  }
  return list.map((o) => new URL(o).origin);
});

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const timeZone = z
  .string()
  .default("Europe/Moscow")
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat("en-CA", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: "not an IANA time zone" },
  );

export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    PGLITE_DIR: z.string().default("./.data/pglite"),
    ALLOW_EMBEDDED_DB: flag,
    SAP_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    SAP_USER: optionalString,
    SAP_PASSWORD: optionalString,
    SAP_CLIENT: optionalString.pipe(
      z
        .string()
        .regex(/^\d{3}$/, "three digits")
        .optional(),
    ),
    SAP_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
    AUTH_MODE: z.enum(["jwt", "dev"]).optional(),
    AUTH_JWT_SECRET: optionalString,
    AUTH_JWKS_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    AUTH_JWT_ISSUER: optionalString,
    AUTH_JWT_AUDIENCE: optionalString,
    ADMIN_TOKEN: optionalString.pipe(z.string().min(16, "at least 16 characters").optional()),
    LK_TIMEZONE: timeZone,
    EVIDENCE_FRESH_S: seconds(300),
    EVIDENCE_MAX_STALE_S: seconds(3600),
    EVIDENCE_CACHE_SIZE: z.coerce.number().int().positive().default(50_000),
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    /** Serialised /user.tabs answers kept, in MiB (src/catalog/answer.ts); 0 turns the cache off. */
    ANSWER_CACHE_MB: z.coerce.number().min(0).max(4096).default(16),
    CATALOG_POLL_MS: z.coerce.number().int().positive().default(5000),
    RULE_BUDGET_MS: z.coerce.number().int().positive().default(50),
    /** Memory of the rule-result cache (src/rules/evaluator/result-cache.ts); 0 turns it off. */
    RULE_RESULT_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(24),
    /** Unset: one more than this process's share of the cores (see defaultRuleWorkers). */
    RULE_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
    /** HTTP processes sharing PORT (src/cluster.ts). */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    DIRECTORY_SYNC_INTERVAL_H: z.coerce.number().min(0).max(8760).default(24),
    IMPACT_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
    CORS_ORIGINS: origins,
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  })
  .transform((env, ctx) => {
    // With nothing configured the service runs in dev mode; JWT settings imply jwt mode.
    const authMode = env.AUTH_MODE ?? (env.AUTH_JWT_SECRET || env.AUTH_JWKS_URL ? "jwt" : "dev");
    if (authMode === "dev" && env.NODE_ENV === "production") {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_MODE"],
        message: "dev auth is refused when NODE_ENV=production",
      });
    }
    if (authMode === "jwt" && !env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_MODE"],
        message: "jwt mode needs AUTH_JWT_SECRET or AUTH_JWKS_URL",
      });
    }
    // Production never runs on demo parts by accident: the embedded database only when asked
    // for (a one-box install), the demo SAP directory never.
    if (env.NODE_ENV === "production" && !env.DATABASE_URL && !env.ALLOW_EMBEDDED_DB) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "required when NODE_ENV=production (ALLOW_EMBEDDED_DB=1 allows embedded PGlite on one box)",
      });
    }
    if (env.NODE_ENV === "production" && !env.SAP_BASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["SAP_BASE_URL"],
        message: "required when NODE_ENV=production (the demo SAP directory is for development)",
      });
    }
    if (env.WEB_CONCURRENCY > 1 && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["WEB_CONCURRENCY"],
        message: "more than 1 process needs DATABASE_URL (the embedded PGlite database serves one process)",
      });
    }
    if (env.EVIDENCE_MAX_STALE_S < env.EVIDENCE_FRESH_S) {
      ctx.addIssue({
        code: "custom",
        path: ["EVIDENCE_MAX_STALE_S"],
        message: "must be at least EVIDENCE_FRESH_S",
      });
    }
    return {
      nodeEnv: env.NODE_ENV,
      port: env.PORT,
      database: env.DATABASE_URL
        ? ({ kind: "postgres", url: env.DATABASE_URL } as const)
        : ({ kind: "pglite", dir: env.PGLITE_DIR } as const),
      sap: {
        baseUrl: env.SAP_BASE_URL,
        user: env.SAP_USER,
        password: env.SAP_PASSWORD,
        client: env.SAP_CLIENT,
        timeoutMs: env.SAP_TIMEOUT_MS,
      },
      auth: {
        mode: authMode,
        jwtSecret: env.AUTH_JWT_SECRET,
        jwksUrl: env.AUTH_JWKS_URL,
        issuer: env.AUTH_JWT_ISSUER,
        audience: env.AUTH_JWT_AUDIENCE,
        adminToken: env.ADMIN_TOKEN,
      },
      timeZone: env.LK_TIMEZONE,
      evidence: {
        freshS: env.EVIDENCE_FRESH_S,
        maxStaleS: env.EVIDENCE_MAX_STALE_S,
        cacheSize: env.EVIDENCE_CACHE_SIZE,
        redisUrl: env.REDIS_URL,
      },
      catalogPollMs: env.CATALOG_POLL_MS,
      answerCacheBytes: Math.round(env.ANSWER_CACHE_MB * 1024 * 1024),
      rules: {
        budgetMs: env.RULE_BUDGET_MS,
        workers: env.RULE_WORKERS ?? defaultRuleWorkers(availableParallelism(), env.WEB_CONCURRENCY),
        resultCacheMb: env.RULE_RESULT_CACHE_MB,
      },
      webConcurrency: env.WEB_CONCURRENCY,
      logLevel: env.LOG_LEVEL,
      directory: { syncIntervalH: env.DIRECTORY_SYNC_INTERVAL_H, impactWorkers: env.IMPACT_WORKERS },
      cors: { origins: env.CORS_ORIGINS },
      telemetry: { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT },
    };
  });

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = issue?.path.join(".") || "environment";
  throw new ConfigError(`invalid configuration: ${name}: ${issue?.message ?? "invalid"}`);
}

/** For command-line entry points: the configuration, or its one-line error on stderr and exit 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * Sandbox processes per HTTP process when RULE_WORKERS is unset: one more than its share of the
 * cores. With one per core, a process that has answered sits idle until the HTTP process has
 * read its answer and sent it the next requests; one more keeps the cores busy meanwhile
 * (measured on 2 cores, every request missing the result cache: 3 processes served 1.2–1.4× the
 * requests 2 did; bench/RESULTS.md). In a container, set it: the core count read here is the
 * machine's, not the container's CPU limit.
 */
export function defaultRuleWorkers(cores: number, webConcurrency: number): number {
  return Math.min(16, Math.max(1, Math.ceil(cores / webConcurrency)) + 1);
}
