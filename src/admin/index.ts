import { Elysia } from "elysia";
import type { AppContext } from "../http/context.ts";

/** STUB: the admin API work replaces this with the routes of shared/api.md "Admin API". */
export function adminRoutes(_ctx: AppContext) {
  return new Elysia({ prefix: "/admin", tags: ["admin"] });
}
