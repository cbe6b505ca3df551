// `bun run start`: runs the service with the configuration from the environment (README).
// stdout carries the JSON log only (one object per line); the human banner goes to stderr.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { claimPortOrExit, isWebWorker, startWebWorkers } from "./cluster.ts";
import { loadConfigOrExit } from "./config.ts";
import { DEMO_EMPLOYEES } from "./evidence/index.ts";
import { createLogger } from "./log.ts";
import { startService } from "./server.ts";

const DEV_ADMIN_TOKEN_FILE = ".data/dev-admin-token";
const DEV_TOKEN_SHAPE = /^dev-[A-Za-z0-9_-]{16,}$/;

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
claimPortOrExit(config); // one clear line when the port is taken, before anything starts

/**
 * The dev admin token outlives a restart: an instance (or a browser tab) already using the
 * token in the file keeps working. Only a missing or mangled file gets a new one.
 */
function devAdminToken(): { token: string; reused: boolean } | undefined {
  if (config.auth.mode !== "dev" || config.auth.adminToken) return undefined;
  if (existsSync(DEV_ADMIN_TOKEN_FILE)) {
    const token = readFileSync(DEV_ADMIN_TOKEN_FILE, "utf8").trim();
    if (DEV_TOKEN_SHAPE.test(token)) return { token, reused: true };
  }
  const token = `dev-${randomBytes(18).toString("base64url")}`;
  // Kept out of the log stream: written to a private file, the banner names the file.
  mkdirSync(dirname(DEV_ADMIN_TOKEN_FILE), { recursive: true });
  writeFileSync(DEV_ADMIN_TOKEN_FILE, `${token}\n`, { mode: 0o600 });
  return { token, reused: false };
}

const dev = devAdminToken();
const service = await startService(config, logger, { devAdminToken: dev?.token });
const webWorkers = startWebWorkers(config, logger); // WEB_CONCURRENCY - 1 more (src/cluster.ts)

const director = DEMO_EMPLOYEES[0];
const lines = [
  "",
  `LK personalisation service on ${service.url}`,
  `  Swagger UI:  ${service.url}/swagger   (OpenAPI JSON: ${service.url}/swagger/json)`,
  `  Admin UI:    ${service.url}/admin`,
];
if (dev) {
  const age = dev.reused ? "kept from an earlier start" : "new";
  lines.push(`  Admin token (dev, ${age}) is in ${DEV_ADMIN_TOKEN_FILE}`);
  lines.push(
    `    curl -s -H "Authorization: Bearer $(cat ${DEV_ADMIN_TOKEN_FILE})" '${service.url}/admin/rules'`,
  );
}
if (service.demoSapUrl) {
  lines.push(
    `  Demo SAP directory: ${service.demoSapUrl} (dev tokens are personnel numbers; personas in README)`,
    `  Try: curl -s -H 'Authorization: Bearer ${director.pernr}' '${service.url}/user.tabs?platform=web'`,
  );
}
if (!isWebWorker()) console.error(`${lines.join("\n")}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    await webWorkers.stop();
    await service.stop();
    process.exit(0);
  });
}
