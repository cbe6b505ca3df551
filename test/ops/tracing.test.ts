import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import {
  type ComposedEvidenceSource,
  createEvidenceSource,
  type MockSap,
  startMockSap,
} from "../../src/evidence/index.ts";
import { createMemoryLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { createServiceApp } from "../../src/server.ts";
import {
  createTracing,
  startTracing,
  type Tracing,
  traceContext,
  traceEvidence,
} from "../../src/telemetry/index.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { catalogWriter } from "../support/catalog.ts";

/**
 * Traces as a collector receives them: a fake OTLP/HTTP endpoint, the real evidence stack
 * against a mock SAP behind a proxy that records the `traceparent` SAP is sent.
 */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status: { code: number };
}

const received: OtlpSpan[] = [];
const collector = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/v1/traces")
      return new Response("no", { status: 404 });
    const body = (await request.json()) as {
      resourceSpans: Array<{ resource: unknown; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
    };
    for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) received.push(...ss.spans);
    return Response.json({});
  },
});

let sap: MockSap;
const sapTraceparents: Array<string | null> = [];
let proxy: ReturnType<typeof Bun.serve>;
let source: ComposedEvidenceSource;
let tracing: Tracing;
let t: TestApp;
let traced: ReturnType<typeof createServiceApp>;
const logger = createMemoryLogger();

beforeAll(async () => {
  sap = await startMockSap({ size: 100 });
  const target = new URL(sap.url);
  proxy = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      sapTraceparents.push(request.headers.get("traceparent"));
      const url = new URL(request.url);
      url.host = target.host;
      return fetch(url, { headers: request.headers });
    },
  });
  const config = loadConfig({
    SAP_BASE_URL: `http://127.0.0.1:${proxy.port}${target.pathname}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}/`,
  });
  const started = startTracing(config, logger);
  if (!started) throw new Error("tracing did not start with OTEL_EXPORTER_OTLP_ENDPOINT set");
  tracing = started;
  source = await createEvidenceSource({ config, logger, metrics: createMetrics(), fetch: tracing.fetch });
  t = await createTestApp({ evidence: traceEvidence(source, tracing) });
  const write = catalogWriter(t.db);
  const rule = await write.rule("is_manager_rule", "is_manager || !is_manager");
  const group = await write.sidebarGroup({ title: "Всем", order: 0, ruleId: rule });
  await write.section({ title: "Раздел", url: "/s", order: 0, sidebarGroupId: group });
  await t.ctx.catalog.reload();
  traced = createServiceApp(traceContext(t.ctx, tracing));
});
afterAll(async () => {
  await tracing?.close();
  await t?.close();
  await source?.close();
  proxy?.stop(true);
  await sap?.close();
  collector.stop(true);
});

/** The request span ends after the answer is sent (onAfterResponse): flush until it is in. */
async function flushedUntil(found: () => boolean) {
  for (let i = 0; i < 100 && !found(); i++) {
    await Bun.sleep(20);
    await tracing.flush();
  }
}

const attribute = (span: OtlpSpan | undefined, key: string) =>
  span?.attributes.find((a) => a.key === key)?.value;

describe("traces (OTEL_EXPORTER_OTLP_ENDPOINT)", () => {
  test("/user.tabs: request, evidence, SAP call with traceparent, evaluation and tree spans in one trace", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    const response = await traced.handle(
      new Request("http://localhost/user.tabs?platform=web", {
        headers: { authorization: "Bearer 00000001", traceparent: `00-${traceId}-${callerSpan}-01` },
      }),
    );
    expect(response.status).toBe(200);
    await flushedUntil(() => received.some((s) => s.traceId === traceId && s.name === "GET /user.tabs"));

    const trace = received.filter((s) => s.traceId === traceId);
    const named = (name: string) => trace.find((s) => s.name === name);
    const root = named("GET /user.tabs");
    expect(root?.parentSpanId).toBe(callerSpan);
    expect(root?.kind).toBe(2);
    expect(attribute(root, "http.response.status_code")).toEqual({ intValue: "200" });
    const evidence = named("evidence");
    expect(evidence?.parentSpanId).toBe(root?.spanId ?? "");
    expect(attribute(evidence, "lk.evidence")).toEqual({ stringValue: "found" });
    const sapCall = named("SAP GET");
    expect(sapCall?.parentSpanId).toBe(evidence?.spanId ?? "");
    expect(sapCall?.kind).toBe(3);
    expect(sapTraceparents).toContain(`00-${traceId}-${sapCall?.spanId}-01`);
    expect(named("evaluation")?.parentSpanId).toBe(root?.spanId ?? "");
    expect(named("tree")?.parentSpanId).toBe(root?.spanId ?? "");
    for (const span of trace) expect(span.status.code).toBe(1);
  });

  test("a request without traceparent starts its own trace", async () => {
    received.length = 0;
    await traced.handle(new Request("http://localhost/healthz"));
    await flushedUntil(() => received.some((s) => s.name === "GET /healthz"));
    const root = received.find((s) => s.name === "GET /healthz");
    expect(root?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root?.parentSpanId).toBeUndefined();
  });

  test("unset: no tracing is made, and SAP is called without traceparent", async () => {
    expect(startTracing(loadConfig({}), logger)).toBeUndefined();
    expect(t.ctx.tracing).toBeUndefined();
    const before = sapTraceparents.length;
    const plain = await createEvidenceSource({
      config: loadConfig({ SAP_BASE_URL: `http://127.0.0.1:${proxy.port}${new URL(sap.url).pathname}` }),
      logger,
      metrics: createMetrics(),
    });
    try {
      expect((await plain.lookup("00000002")).kind).toBe("found");
      expect(sapTraceparents.slice(before).every((h) => h === null)).toBe(true);
      expect(sapTraceparents.length).toBeGreaterThan(before);
    } finally {
      await plain.close();
    }
  });

  test("a collector that is away costs a warning and dropped spans, never a failed request", async () => {
    const quiet = createMemoryLogger();
    const away = createTracing({ endpoint: "http://127.0.0.1:1", serviceName: "lk-test", logger: quiet });
    await away.span("evidence", {}, async () => "done");
    await away.close();
    expect(quiet.lines.some((l) => l.level === "warn" && l.msg.includes("OTLP collector"))).toBe(true);
  });
});
