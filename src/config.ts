import { z } from "zod";

/**
 * The service's whole configuration: one zod schema over the environment (see README and
 * shared/api.md). Parsed once at start; a bad value stops the start with one line naming it.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

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
    CATALOG_POLL_MS: z.coerce.number().int().positive().default(5000),
    RULE_BUDGET_MS: z.coerce.number().int().positive().default(50),
    RULE_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
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
      rules: { budgetMs: env.RULE_BUDGET_MS, workers: env.RULE_WORKERS },
      logLevel: env.LOG_LEVEL,
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
