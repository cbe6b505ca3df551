import { expect } from "bun:test";
import { connect } from "node:net";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/app.ts";

/**
 * The whole service listening on a real port (Bun.serve underneath, as in production), for the
 * tests of what happens at the HTTP edges: parser limits, streamed bodies and headers only show
 * over a socket, not through `app.handle`.
 */
export async function startLiveApp(): Promise<TestApp & { base: string; port: number }> {
  const t = await createTestApp();
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  const port = t.app.server?.port;
  if (!port) throw new Error("the app did not start listening");
  return {
    ...t,
    base: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await t.app.stop(true);
      await t.close();
    },
  };
}

export const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
export const JSON_TYPE = { "content-type": "application/json" };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface ErrorAnswer {
  error: { code: string; message: string; details: unknown[]; request_id?: string };
}

/**
 * Checks that an answer is the api.md error shape, as JSON, with the expected status and code,
 * and carries its request id both as a header and in the body. Returns the body.
 */
export async function expectError(response: Response, status: number, code: string): Promise<ErrorAnswer> {
  const text = await response.text();
  expect({ status: response.status, text }).toMatchObject({ status });
  expect(response.headers.get("content-type")).toStartWith("application/json");
  const body = JSON.parse(text) as ErrorAnswer;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(Array.isArray(body.error.details)).toBe(true);
  const id = response.headers.get("x-request-id");
  expect(id).toBeTruthy();
  expect(body.error.request_id).toBe(id ?? "");
  return body;
}

/** A raw HTTP/1.1 exchange over a socket: what is written, and everything read until close or `waitMs`. */
export function rawExchange(port: number, data: string | string[], waitMs = 2000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRaw(text));
    };
    const timer = setTimeout(finish, waitMs);
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      // One answer is all a test needs: stop once its body is complete.
      const answer = parseRaw(text);
      if (answer.complete) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
    for (const part of Array.isArray(data) ? data : [data]) socket.write(part);
  });
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  complete: boolean;
}

function parseRaw(text: string): RawAnswer {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return { status: 0, headers: {}, body: "", complete: false };
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(end + 4);
  const length = Number(headers["content-length"] ?? 0);
  return { status: Number(statusLine.split(" ")[1]), headers, body, complete: body.length >= length };
}
