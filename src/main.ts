// `bun run start`: runs the service with the configuration from the environment (README).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadConfigOrExit } from "./config.ts";
import { DEMO_EMPLOYEES } from "./evidence/index.ts";
import { createLogger } from "./log.ts";
import { startService } from "./server.ts";

const DEV_ADMIN_TOKEN_FILE = ".data/dev-admin-token";

const config = loadConfigOrExit();

const logger = createLogger(config.logLevel);
const service = await startService(config, logger);

const director = DEMO_EMPLOYEES[0];
const lines = [
  "",
  `LK personalisation service on ${service.url}`,
  `  Swagger UI:  ${service.url}/swagger   (OpenAPI JSON: ${service.url}/swagger/json)`,
  `  Admin UI:    ${service.url}/admin`,
];
if (service.devAdminToken) {
  // Kept out of the log stream: written to a private file, the banner names the file.
  mkdirSync(dirname(DEV_ADMIN_TOKEN_FILE), { recursive: true });
  writeFileSync(DEV_ADMIN_TOKEN_FILE, `${service.devAdminToken}\n`, { mode: 0o600 });
  lines.push(`  Admin token (dev, new each start) is in ${DEV_ADMIN_TOKEN_FILE}`);
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
console.log(`${lines.join("\n")}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    await service.stop();
    process.exit(0);
  });
}
