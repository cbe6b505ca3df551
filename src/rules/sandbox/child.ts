/**
 * The child's side of a sandbox process's IPC, shared by host-process.ts (pool.ts's processes)
 * and batch-host.ts (batch-pool.ts's): both speak to the parent only through process.send,
 * leave when the parent goes, and on a host-side failure report it and exit, so that the pool
 * starts another process.
 */
import type { FromBatch } from "./batch-protocol.ts";
import type { FromSandbox } from "./protocol.ts";

/** The one message both protocols end a process with. */
type Fatal = Extract<FromSandbox, { type: "fatal" }> & Extract<FromBatch, { type: "fatal" }>;

/** Exits when the parent disconnects: the pool owns the process. */
export function followParent(): void {
  process.on("disconnect", () => process.exit(0));
}

/** Reports a host-side failure to the parent ("fatal" in protocol.ts and batch-protocol.ts) and exits. */
export function leaveWith(error: unknown): never {
  const fatal: Fatal = { type: "fatal", message: error instanceof Error ? error.message : String(error) };
  process.send?.(fatal);
  process.exit(1);
}
