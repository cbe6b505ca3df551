import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import type { Logger } from "../log.ts";

/**
 * OpenTelemetry traces, sent to an OTLP/HTTP collector (`OTEL_EXPORTER_OTLP_ENDPOINT`) in the
 * protocol's JSON encoding (`POST {endpoint}/v1/traces`). Small on purpose: a root span per
 * request (continuing the caller's W3C `traceparent`), child spans around the steps the
 * composition root wraps, `traceparent` on outgoing SAP calls, and a batching exporter that
 * drops rather than queue without bound when the collector is away. When the variable is
 * unset nothing of this is created, so tracing costs nothing.
 */
export type SpanKind = "internal" | "server" | "client";
type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue | undefined>;

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startNs: bigint;
  attributes: Attributes;
  error?: string;
}

export interface Tracing {
  /** Opens the request's root span (its parent: a valid incoming `traceparent`). */
  startRequest(request: Request): void;
  /** Closes it with the route template and status. */
  endRequest(request: Request, route: string, status: number): void;
  /** Runs `fn` inside a child span of the current one. */
  span<T>(name: string, attributes: Attributes, fn: () => Promise<T>, kind?: SpanKind): Promise<T>;
  spanSync<T>(name: string, attributes: Attributes, fn: () => T): T;
  /** A fetch that runs in a client span and sends its `traceparent`. */
  fetch: typeof fetch;
  /** Adds attributes to the current span (what a step found out while it ran). */
  annotate(attributes: Attributes): void;
  /** The `traceparent` header value of the current span, if there is one. */
  traceparent(): string | undefined;
  /** Sends what is buffered; `close` also stops the timer. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface TracingOptions {
  endpoint: string;
  serviceName: string;
  serviceVersion?: string;
  logger: Logger;
  /** Spans sent per request to the collector, and how often the buffer is sent. */
  batchSize?: number;
  flushIntervalMs?: number;
  /** Spans kept while the collector is slow or away; newer ones are dropped beyond it. */
  maxQueue?: number;
  fetch?: typeof fetch;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const KIND_CODE: Record<SpanKind, number> = { internal: 1, server: 2, client: 3 };
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

export function createTracing(options: TracingOptions): Tracing {
  const send = options.fetch ?? fetch;
  const url = `${options.endpoint.replace(/\/+$/, "")}/v1/traces`;
  const batchSize = options.batchSize ?? 512;
  const maxQueue = options.maxQueue ?? 4096;
  const current = new AsyncLocalStorage<Span>();
  const requestSpans = new WeakMap<Request, Span>();
  const queue: object[] = [];
  let dropped = 0;
  let sending: Promise<void> = Promise.resolve();
  let lastWarnAt = 0;

  const resource = {
    attributes: encode({ "service.name": options.serviceName, "service.version": options.serviceVersion }),
  };

  const open = (name: string, kind: SpanKind, attributes: Attributes, parent = current.getStore()): Span => ({
    traceId: parent?.traceId ?? hex(16),
    spanId: hex(8),
    parentSpanId: parent?.spanId,
    name,
    kind,
    startNs: nowNs(),
    attributes,
  });

  const end = (span: Span) => {
    if (queue.length >= maxQueue) {
      dropped++;
      return;
    }
    queue.push({
      traceId: span.traceId,
      spanId: span.spanId,
      ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
      name: span.name,
      kind: KIND_CODE[span.kind],
      startTimeUnixNano: String(span.startNs),
      endTimeUnixNano: String(nowNs()),
      attributes: encode(span.attributes),
      status: span.error ? { code: 2, message: span.error } : { code: 1 },
    });
    if (queue.length >= batchSize) void flush();
  };

  const flush = (): Promise<void> => {
    sending = sending.then(async () => {
      while (queue.length > 0) {
        const spans = queue.splice(0, batchSize);
        const body = {
          resourceSpans: [{ resource, scopeSpans: [{ scope: { name: options.serviceName }, spans }] }],
        };
        try {
          const response = await send(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(5000),
          });
          if (!response.ok) throw new Error(`collector answered ${response.status}`);
        } catch (error) {
          dropped += spans.length;
          warn(error);
          return;
        }
      }
    });
    return sending;
  };

  const warn = (error: unknown) => {
    if (Date.now() - lastWarnAt < 60_000) return;
    lastWarnAt = Date.now();
    options.logger.warn("traces could not be sent to the OTLP collector", {
      endpoint: url,
      error: error instanceof Error ? error.message : String(error),
      dropped,
    });
  };

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 2000);
  timer.unref?.();

  const tracing: Tracing = {
    startRequest(request) {
      const incoming = TRACEPARENT.exec(request.headers.get("traceparent") ?? "");
      const remote =
        incoming?.[1] && incoming[2] && !/^0+$/.test(incoming[1]) && !/^0+$/.test(incoming[2])
          ? ({ traceId: incoming[1], spanId: incoming[2] } as Span)
          : undefined;
      const path = new URL(request.url).pathname;
      const span = open(
        `${request.method} ${path}`,
        "server",
        { "http.request.method": request.method },
        remote,
      );
      requestSpans.set(request, span);
      // The rest of this request's handling runs in this span (Elysia calls the hooks and the
      // handler in the request's own async context).
      current.enterWith(span);
    },
    endRequest(request, route, status) {
      const span = requestSpans.get(request);
      if (!span) return;
      requestSpans.delete(request);
      span.name = `${request.method} ${route}`;
      span.attributes["http.route"] = route;
      span.attributes["http.response.status_code"] = status;
      if (status >= 500) span.error = `HTTP ${status}`;
      end(span);
    },
    async span(name, attributes, fn, kind = "internal") {
      const span = open(name, kind, { ...attributes });
      try {
        return await current.run(span, fn);
      } catch (error) {
        span.error = error instanceof Error ? error.message : String(error);
        throw error;
      } finally {
        end(span);
      }
    },
    spanSync(name, attributes, fn) {
      const span = open(name, "internal", { ...attributes });
      try {
        return current.run(span, fn);
      } catch (error) {
        span.error = error instanceof Error ? error.message : String(error);
        throw error;
      } finally {
        end(span);
      }
    },
    fetch: Object.assign(
      (input: RequestInfo | URL, init?: RequestInit) => {
        const target = new URL(input instanceof Request ? input.url : String(input));
        const method = init?.method ?? (input instanceof Request ? input.method : "GET");
        const attributes = {
          "http.request.method": method,
          "server.address": target.hostname,
          "url.path": target.pathname,
        };
        return tracing.span(
          `SAP ${method}`,
          attributes,
          async () => {
            const headers = new Headers(
              init?.headers ?? (input instanceof Request ? input.headers : undefined),
            );
            const parent = tracing.traceparent();
            if (parent) headers.set("traceparent", parent);
            const response = await send(input, { ...init, headers });
            const span = current.getStore();
            if (span) span.attributes["http.response.status_code"] = response.status;
            if (span && response.status >= 500) span.error = `HTTP ${response.status}`;
            return response;
          },
          "client",
        );
      },
      { preconnect: fetch.preconnect },
    ) as typeof fetch,
    annotate(attributes) {
      const span = current.getStore();
      if (span) Object.assign(span.attributes, attributes);
    },
    traceparent() {
      const span = current.getStore();
      return span ? `00-${span.traceId}-${span.spanId}-01` : undefined;
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
  return tracing;
}

/** OTLP's attribute list: `{ key, value: { stringValue | intValue | doubleValue | boolValue } }`. */
type OtlpValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean };

function encode(attributes: Attributes): Array<{ key: string; value: OtlpValue }> {
  const encoded: Array<{ key: string; value: OtlpValue }> = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (typeof value === "boolean") encoded.push({ key, value: { boolValue: value } });
    else if (typeof value === "number")
      encoded.push({
        key,
        value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
      });
    else encoded.push({ key, value: { stringValue: value } });
  }
  return encoded;
}
