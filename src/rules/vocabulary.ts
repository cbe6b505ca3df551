/**
 * The names a rule may use and what each one costs: evidence variables (from the evidence
 * schema, the single source of truth), helpers with the evidence they read behind the scenes,
 * and the few safe globals. The validator, the compiler and the result-cache key all read this.
 */
import { z } from "zod";
import { EVIDENCE_VARIABLES, EvidenceSchema } from "../evidence/index.ts";

export const EVIDENCE: ReadonlySet<string> = new Set<string>(EVIDENCE_VARIABLES);

/** Evidence variables that are always arrays (lets the compiler use Set lookups safely). */
export const ARRAY_EVIDENCE: ReadonlySet<string> = new Set<string>(
  EVIDENCE_VARIABLES.filter((name) => EvidenceSchema.shape[name] instanceof z.ZodArray),
);

/**
 * Helper name → the evidence variables it reads. Implemented in wasm/helpers.js (a test checks
 * both lists agree); documented in docs/rules.md.
 */
export const HELPER_READS: Readonly<Record<string, readonly string[]>> = {
  inOrgUnit: ["orgunit_path"],
  inRegion: ["region"],
  inStore: ["store_id"],
  hasRole: ["roles"],
  hasApp: ["apps"],
  daysSince: ["today"],
  daysUntil: ["today"],
  isBirthday: ["birthday", "today"],
  age: ["birthday", "today"],
  yearsOfService: ["hire_date", "today"],
  bucket: ["personnel_number"],
  matches: [],
};

export const HELPER_NAMES: readonly string[] = Object.keys(HELPER_READS).sort();

/** Globals a rule may name. Everything else in the sandbox is either gone or unreachable. */
export const SAFE_GLOBALS: ReadonlySet<string> = new Set([
  "Array",
  "Boolean",
  "Date",
  "Infinity",
  "JSON",
  "Map",
  "Math",
  "NaN",
  "Number",
  "Object",
  "RegExp",
  "Set",
  "String",
  "decodeURIComponent",
  "encodeURIComponent",
  "isFinite",
  "isNaN",
  "parseFloat",
  "parseInt",
  "undefined",
]);

/** The only constructors `new` may be applied to. */
export const NEWABLE: ReadonlySet<string> = new Set(["Date", "Set", "Map", "RegExp"]);

export { BANNED_PROPERTIES } from "./banned.ts";

/** Well-known names that are not available, with a reason an admin can act on. */
export const UNAVAILABLE: Readonly<Record<string, string>> = {
  eval: "eval is not available in rules",
  Function: "the Function constructor is not available in rules",
  globalThis: "the global object is not available in rules",
  window: "there is no window in rules",
  self: "there is no global object in rules",
  process: "rules cannot reach the host (process)",
  Bun: "rules cannot reach the host (Bun)",
  require: "rules cannot load code (require)",
  fetch: "rules cannot do I/O (fetch)",
  Proxy: "Proxy is not available in rules",
  Reflect: "Reflect is not available in rules",
  Promise: "asynchronous code is not available in rules",
  Symbol: "Symbol is not available in rules",
  BigInt: "BigInt is not available in rules",
  arguments: "arguments is not available in rules",
};

/** Identifier prefixes reserved for the compiler's own names. */
export function isReservedIdentifier(name: string): boolean {
  return name.startsWith("$") || name.startsWith("__");
}
