/**
 * The sandbox-side library (wasm/*.js) spliced into one script. The QuickJS flavour hardens the
 * context first; the plain flavour (reference tests, benchmark floor) runs the same helpers and
 * runner in the host with nothing hardened.
 */
import { readFileSync } from "node:fs";
import { BANNED_PROPERTIES } from "../banned.ts";
import { LIMITS } from "../limits.ts";

function wasmSource(file: string): string {
  // Each file is one function expression; the formatter may end it with a `;`.
  return readFileSync(new URL(`../../../wasm/${file}`, import.meta.url), "utf8")
    .trim()
    .replace(/;$/, "");
}

/**
 * The library around one runner (wasm/runner.js or wasm/batch-runner.js): the room hardened (or
 * not, in the plain flavour), the helpers, and the store of constants and units the runner
 * serves from (wasm/store.js). Its value is the runner's library object.
 */
export function composeLibrary(runner: "runner.js" | "batch-runner.js", hardened: boolean): string {
  const harden = hardened ? `(${wasmSource("harden.js")})(globalThis)` : "{ setNow() {} }";
  return `(function () {
"use strict";
const banned = new Set(${JSON.stringify([...BANNED_PROPERTIES])});
// Computed member access with a non-literal key goes through here (see compile/codegen.ts).
const key = (k) => {
  if (typeof k === "number") return k;
  const s = typeof k === "symbol" ? k : String(k);
  if (typeof s === "string" && banned.has(s)) throw new TypeError("access to \\"" + s + "\\" is not allowed in rules");
  return s;
};
const sandbox = ${harden};
const current = { evidence: null };
const helpers = (${wasmSource("helpers.js")})(current);
const lib = Object.freeze({ key, freeze: Object.freeze });
const store = (${wasmSource("store.js")})({ helpers, lib, maxMessage: ${LIMITS.maxErrorMessage} });
return (${wasmSource(runner)})({ current, store, setNow: sandbox.setNow });
})()`;
}

/**
 * Script for a fresh QuickJS context; its value is the library of wasm/runner.js
 * (defineLists, defineUnits, dropLists, dropUnits, load).
 */
export function sandboxLibrarySource(): string {
  return composeLibrary("runner.js", true);
}

/**
 * The same library for the host's own JS engine, unhardened (reference tests and benchmarks run
 * compiled programs in it: test/support/plain-loader.ts). Its value is the library object.
 */
export function plainLibrarySource(): string {
  return composeLibrary("runner.js", false);
}

/**
 * `matches(text, part)` of wasm/helpers.js, run in the host: case-insensitive, and ё matches е.
 * The section search uses it, so the portal's search and rules fold text the same way.
 */
export function textMatches(text: string, part: string): boolean {
  plainMatches ??= createPlainHelpers({ evidence: undefined }).matches as (t: string, p: string) => boolean;
  return plainMatches(text, part);
}
let plainMatches: ((text: string, part: string) => boolean) | undefined;

/** The helpers alone, in the host (for tests comparing them with vocabulary.ts). */
export function createPlainHelpers(current: {
  evidence: unknown;
}): Record<string, (...args: unknown[]) => unknown> {
  return new Function(`return (\n${wasmSource("helpers.js")}\n)`)()(current);
}
