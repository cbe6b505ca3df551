/**
 * The sandbox library of the impact estimate: the hardened room, helpers and store of
 * library.ts, with wasm/batch-runner.js (many employees per crossing) in place of
 * wasm/runner.js. Composed by library.ts from the same wasm/ files as the employee one.
 */
import { composeLibrary } from "./library.ts";

/** Script for a fresh QuickJS context; its value is wasm/batch-runner.js's library. */
export function batchLibrarySource(): string {
  return composeLibrary("batch-runner.js", true);
}
