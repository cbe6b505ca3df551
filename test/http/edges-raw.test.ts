import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_URI_LENGTH } from "../../src/http/index.ts";
import { STARTUP_TIMEOUT_MS } from "../admin/support.ts";
import { TEST_ADMIN_TOKEN } from "../support/app.ts";
import { type RawAnswer, rawExchange, startLiveApp, UUID } from "./live.ts";

/**
 * Requests no well-behaved client sends, written to a socket by hand (issue 13, point 5): the
 * limits the service answers itself with the error shape, and, pinned so that a Bun upgrade that
 * changes them is noticed, the ones Bun's HTTP parser answers before any of our code runs.
 */
let t: Awaited<ReturnType<typeof startLiveApp>>;
beforeAll(async () => {
  t = await startLiveApp();
}, STARTUP_TIMEOUT_MS);
afterAll(() => t?.close());

const get = (target: string, headers = "") => `GET ${target} HTTP/1.1\r\nHost: lk\r\n${headers}\r\n`;
const send = (data: string | string[]) => rawExchange(t.port, data);

function expectShaped(answer: RawAnswer, status: number, code: string) {
  expect({ status: answer.status, body: answer.body.slice(0, 300) }).toMatchObject({ status });
  expect(answer.headers["content-type"]).toStartWith("application/json");
  const id = answer.headers["x-request-id"] ?? "";
  expect(id).toMatch(UUID);
  expect(JSON.parse(answer.body)).toEqual({
    error: { code, message: expect.any(String), details: expect.any(Array), request_id: id },
  });
}

describe("limits the service answers with the error shape", () => {
  test("a URI over the limit is 414 (path or query)", async () => {
    expectShaped(await send(get(`/${"a".repeat(MAX_URI_LENGTH)}`)), 414, "uri_too_long");
    expectShaped(await send(get(`/user.tabs?query=${"q".repeat(MAX_URI_LENGTH)}`)), 414, "uri_too_long");
    // Just under it, the request goes on to routing.
    const under = await send(get(`/${"a".repeat(MAX_URI_LENGTH - 10)}`));
    expectShaped(under, 404, "not_found");
  });

  test("headers over the limit are 431", async () => {
    const big = `X-Big: ${"b".repeat(MAX_HEADER_BYTES)}\r\n`;
    expectShaped(await send(get("/healthz", big)), 431, "headers_too_large");
    const many = Array.from({ length: 100 }, (_, i) => `X-H${i}: ${"v".repeat(130)}\r\n`).join("");
    expectShaped(await send(get("/healthz", many)), 431, "headers_too_large");
    const fine = await send(get("/healthz", `X-Ok: ${"o".repeat(4000)}\r\n`));
    expect(fine.status).toBe(200);
  });

  test("a chunked body past the limit is 413, whatever the chunk sizes", async () => {
    const head =
      "POST /admin/rules HTTP/1.1\r\nHost: lk\r\nContent-Type: application/json\r\n" +
      `Authorization: Bearer ${TEST_ADMIN_TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = (size: number) => `${size.toString(16)}\r\n${"x".repeat(size)}\r\n`;
    const chunks = Array.from({ length: Math.ceil((MAX_BODY_BYTES * 2) / 10_000) }, () => chunk(10_000));
    expectShaped(await send([head, ...chunks, "0\r\n\r\n"]), 413, "payload_too_large");
    expectShaped(await send([head, chunk(MAX_BODY_BYTES + 1), "0\r\n\r\n"]), 413, "payload_too_large");
  });

  test("a declared Content-Length over the limit is 413 before the body arrives", async () => {
    const head =
      "POST /admin/rules HTTP/1.1\r\nHost: lk\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${10 * 1024 * 1024}\r\n\r\n`;
    expectShaped(await send([head, "{"]), 413, "payload_too_large");
  });
});

describe("what Bun's HTTP parser answers itself (empty bodies; our code never runs)", () => {
  // Measured on Bun 1.4.5; see src/http/limits.ts. A change here means the edges moved.
  const bunAnswer = (answer: RawAnswer, status: number) => {
    expect({ status: answer.status, body: answer.body }).toEqual({ status, body: "" });
    expect(answer.headers["x-request-id"]).toBeUndefined();
  };

  test("a request head over 16 KiB is an empty 431, a long URI included", async () => {
    bunAnswer(await send(get(`/${"a".repeat(17 * 1024)}`)), 431);
    bunAnswer(await send(get("/healthz", `X-Big: ${"b".repeat(17 * 1024)}\r\n`)), 431);
  });

  test("over ~200 header lines is an empty 431", async () => {
    const lines = Array.from({ length: 250 }, (_, i) => `X-${i}: v\r\n`).join("");
    bunAnswer(await send(get("/healthz", lines)), 431);
  });

  test("an HTTP version other than 1.x is an empty 505; garbage is an empty 400", async () => {
    bunAnswer(await send("GET /healthz HTTP/2.0\r\nHost: lk\r\n\r\n"), 505);
    bunAnswer(await send("HELLO\r\n\r\n"), 400);
    bunAnswer(await send(get("/healthz", "Bad Header: x\r\n")), 400);
    const smuggle =
      "POST /admin/rules HTTP/1.1\r\nHost: lk\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n";
    bunAnswer(await send(`${smuggle}0\r\n\r\n`), 400);
  });

  test("a declared Content-Length over Bun's backstop (16 MiB) is an empty 413", async () => {
    const head = `POST /admin/rules HTTP/1.1\r\nHost: lk\r\nContent-Length: ${17 * 1024 * 1024}\r\n\r\n`;
    bunAnswer(await send(head), 413);
  });
});
