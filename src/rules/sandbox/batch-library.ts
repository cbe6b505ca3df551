/**
 * The sandbox library of the impact estimate: the hardened room and helpers of library.ts, with
 * wasm/batch-runner.js (many employees per crossing) in place of wasm/runner.js. Composed the
 * same way as library.ts composes the employee one, from the same wasm/ files.
 */
import { readFileSync } from "node:fs";
import { BANNED_PROPERTIES } from "../banned.ts";
import { LIMITS } from "../limits.ts";

function wasmSource(file: string): string {
  return readFileSync(new URL(`../../../wasm/${file}`, import.meta.url), "utf8")
    .trim()
    .replace(/;$/, "");
}

/** Script for a fresh QuickJS context; its value is wasm/batch-runner.js's library. */
export function batchLibrarySource(): string {
  return `(function () {
"use strict";
const banned = new Set(${JSON.stringify([...BANNED_PROPERTIES])});
const key = (k) => {
  if (typeof k === "number") return k;
  const s = typeof k === "symbol" ? k : String(k);
  if (typeof s === "string" && banned.has(s)) throw new TypeError("access to \\"" + s + "\\" is not allowed in rules");
  return s;
};
const sandbox = (${wasmSource("harden.js")})(globalThis);
const current = { evidence: null };
const helpers = (${wasmSource("helpers.js")})(current);
const lib = Object.freeze({ key, freeze: Object.freeze });
return (${wasmSource("batch-runner.js")})({ current, helpers, lib, setNow: sandbox.setNow, maxMessage: ${LIMITS.maxErrorMessage} });
})()`;
}
