import { AppError } from "../errors.ts";

/**
 * The size limits of a request, checked in onRequest before routing, so an unknown path, an
 * unauthenticated caller and a real route all get the same shaped answer.
 *
 * What Bun answers itself, before any of our code runs (Bun 1.4.5, measured and pinned in
 * test/http/edges-raw.test.ts): a request head (request line + headers) over 16 KiB is an empty
 * `431` with `Connection: close` — so a URI over ~16 KiB is 431, not 414; more than ~200 header
 * lines is the same empty 431; an HTTP version other than 1.0/1.1 is an empty `505`; a request
 * that does not parse as HTTP (bad request line, a space in a header name, both Content-Length
 * and Transfer-Encoding) is an empty `400`; a declared Content-Length over `BUN_BODY_LIMIT` is an
 * empty `413`. Our limits sit below Bun's so that everything between them gets the error shape.
 * Bun's head limit is the process flag `--max-http-header-size` (no Bun.serve option).
 */

/** Request bodies over this are 413 (api.md; README "Body schemas are strict"). */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Bun.serve's own body limit: only a backstop for code that reads a body around the guarded
 * readers (src/http/body.ts). Above it Bun answers an empty 413 itself, so it is far above
 * MAX_BODY_BYTES: every declared size up to it gets our answer.
 */
export const BUN_BODY_LIMIT = 16 * 1024 * 1024;

/** The request target (path and query) longer than this is 414. */
export const MAX_URI_LENGTH = 8 * 1024;

/** Header names and values together (plus ": " and CRLF each) over this are 431. */
export const MAX_HEADER_BYTES = 12 * 1024;

/** JSON bodies nested deeper than this are 400, before validation walks them. */
export const MAX_JSON_DEPTH = 64;

/** Throws the AppError for the first limit the request's head breaks, if any. */
export function checkRequestHead(request: Request): void {
  const url = request.url;
  const target = url.length - url.indexOf("/", url.indexOf("//") + 2);
  if (target > MAX_URI_LENGTH) {
    throw new AppError("uri_too_long", `the request URI is over ${MAX_URI_LENGTH} characters`);
  }
  let headerBytes = 0;
  request.headers.forEach((value, name) => {
    headerBytes += name.length + value.length + 4;
  });
  if (headerBytes > MAX_HEADER_BYTES) {
    throw new AppError("headers_too_large", `the request headers are over ${MAX_HEADER_BYTES} bytes`);
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw bodyTooLarge();
}

export const bodyTooLarge = () =>
  new AppError("payload_too_large", `the request body is over ${MAX_BODY_BYTES} bytes`);
