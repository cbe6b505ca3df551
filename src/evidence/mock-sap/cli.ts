import { parseArgs } from "node:util";
import { startMockSap } from "./server.ts";

/**
 * Runs the mock SAP on its own, for benchmarks and manual poking:
 *   bun run mock-sap --port 8100 --latency-ms 20 --failure-rate 0.1 [--hang] [--hostname 0.0.0.0]
 * Every flag can also come from the environment (MOCK_SAP_PORT, MOCK_SAP_HOSTNAME, MOCK_SAP_LATENCY_MS,
 * MOCK_SAP_FAILURE_RATE, MOCK_SAP_HANG=1, MOCK_SAP_USER, MOCK_SAP_PASSWORD). Prints the URL to
 * use as SAP_BASE_URL.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_SAP_PORT ?? "0" },
    hostname: { type: "string", default: process.env.MOCK_SAP_HOSTNAME ?? "127.0.0.1" },
    "latency-ms": { type: "string", default: process.env.MOCK_SAP_LATENCY_MS ?? "0" },
    "failure-rate": { type: "string", default: process.env.MOCK_SAP_FAILURE_RATE ?? "0" },
    hang: { type: "boolean", default: process.env.MOCK_SAP_HANG === "1" },
    user: { type: "string", default: process.env.MOCK_SAP_USER },
    password: { type: "string", default: process.env.MOCK_SAP_PASSWORD },
  },
});

function number(name: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    console.error(`mock-sap: --${name} must be a number in [${min}, ${max}]`);
    process.exit(2);
  }
  return value;
}

const mock = await startMockSap({
  port: number("port", values.port, 0, 65535),
  hostname: values.hostname,
  latencyMs: number("latency-ms", values["latency-ms"], 0, 600_000),
  failureRate: number("failure-rate", values["failure-rate"], 0, 1),
  hang: values.hang,
  auth: values.user ? { user: values.user, password: values.password ?? "" } : undefined,
});
console.log(`mock SAP listening: SAP_BASE_URL=${mock.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void mock.close().then(() => process.exit(0));
  });
}
