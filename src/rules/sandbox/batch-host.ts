/**
 * Entry point of an impact sandbox process (spawned by batch-pool.ts): one batch engine over a
 * share of the employee directory, driven over IPC, one message at a time. Like host-process.ts
 * it loads nothing of the service but the rule engine, and can always be killed.
 */
import { type BatchEngine, createBatchEngine } from "./batch-engine.ts";
import type { FromBatch, ToBatch } from "./batch-protocol.ts";
import { followParent, leaveWith } from "./child.ts";

function send(message: FromBatch) {
  process.send?.(message);
}

followParent();

function handle(engine: BatchEngine, message: ToBatch): void {
  switch (message.type) {
    case "clear":
      engine.clear();
      send({ type: "done", id: message.id, size: engine.size });
      return;
    case "append":
      send({ type: "done", id: message.id, size: engine.append(message.chunk) });
      return;
    case "fit":
      engine.fit();
      send({ type: "done", id: message.id, size: engine.size });
      return;
    case "estimate": {
      const { id, type: _type, ...request } = message;
      const reply = engine.estimate(request, () => send({ type: "progress", id }));
      send({ type: "estimated", id, reply });
      return;
    }
  }
}

try {
  const engine = await createBatchEngine();
  process.on("message", (message: ToBatch) => {
    try {
      handle(engine, message);
    } catch (error) {
      // The module failed on the host side: this process is done; the pool starts another.
      leaveWith(error);
    }
  });
  send({ type: "ready" });
} catch (error) {
  leaveWith(error);
}
