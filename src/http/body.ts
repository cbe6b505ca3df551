import { AppError } from "../errors.ts";
import { bodyTooLarge, MAX_BODY_BYTES, MAX_JSON_DEPTH } from "./limits.ts";

/**
 * Guarded body readers, installed on each request in onRequest.
 *
 * Elysia reads a body with `request.json()` (routes with `parse: "json"`) or `text()`,
 * `arrayBuffer()`, `formData()` by content type, and it does so only once the route's parse
 * hooks let it: adminAuth skips parsing for a caller without a valid token, so such a caller
 * gets 401 and its body is never read. A global parse hook would run before adminAuth's and
 * break that, so the guard sits on the readers themselves (own properties of this one request
 * object, which keeps its identity for adminAuth and Bun.server.requestIP):
 *
 * - `json()`: 415 unless the body is `application/json`; 413 as soon as the streamed body passes
 *   MAX_BODY_BYTES (a chunked body has no Content-Length to check up front); 400 for bad UTF-8,
 *   nesting deeper than MAX_JSON_DEPTH (validating a 100,000-deep body overflowed the stack) or
 *   invalid JSON.
 * - the other readers: the same 413, then the platform's own parsing of the bytes read.
 */
export function guardBodyReaders(request: Request): void {
  // Elysia never parses a GET or HEAD body; the hot path (/user.tabs) pays nothing here.
  if (request.method === "GET" || request.method === "HEAD") return;
  const read = () => readCapped(request);
  const contentType = request.headers.get("content-type") ?? "";
  const reparse = async () => new Response(await read(), { headers: { "content-type": contentType } });
  Object.defineProperties(request, {
    json: { value: () => parseJson(contentType, read) },
    text: { value: async () => (await reparse()).text() },
    arrayBuffer: { value: async () => (await reparse()).arrayBuffer() },
    formData: { value: async () => (await reparse()).formData() },
  });
}

function isJsonMediaType(contentType: string): boolean {
  const media = contentType.split(";", 1)[0]?.trim().toLowerCase();
  return media === "application/json";
}

async function parseJson(
  contentType: string,
  read: () => Promise<Uint8Array<ArrayBuffer>>,
): Promise<unknown> {
  if (!isJsonMediaType(contentType)) {
    throw new AppError(
      "unsupported_media_type",
      `the request body must be application/json, not ${contentType.split(";", 1)[0] || "untyped"}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await read());
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("bad_request", "the request body is not valid UTF-8");
  }
  if (text.trim() === "") throw new AppError("bad_request", "the request body is empty; expected JSON");
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new AppError("bad_request", `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "the request body is not valid JSON");
  }
}

/** Reads the body, giving up with 413 at the first chunk past MAX_BODY_BYTES. */
async function readCapped(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw bodyTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Whether JSON text opens more than `max` arrays/objects inside each other: one pass over the
 * characters, skipping strings, without building anything (so no recursion to overflow).
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
