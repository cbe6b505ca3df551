/** The HTTP layer's public surface: the app, and what route modules of other domains use. */
export type { App } from "./app.ts";
export { createApp, UNMATCHED_ROUTE } from "./app.ts";
export type { ErrorBody } from "./errors.ts";
export { ErrorBodySchema, errorResponses } from "./errors.ts";
export { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_URI_LENGTH } from "./limits.ts";
