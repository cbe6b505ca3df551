/**
 * Entry point of a sandbox process (spawned by pool.ts): one QuickJS engine, driven over IPC.
 * A separate process rather than a Worker because a Worker cannot be stopped while it is inside
 * WebAssembly: QuickJS builtins that never check the interrupt handler (e.g.
 * `Array(2**32-1).includes(1)`) would keep a terminated Worker's thread spinning, while a
 * process can always be killed.
 */
import { createEngine } from "./engine.ts";
import type { FromSandbox, ToSandbox } from "./protocol.ts";

function send(message: FromSandbox) {
  process.send?.(message);
}

// The evaluator owns us: when it goes, we go.
process.on("disconnect", () => process.exit(0));

try {
  const engine = await createEngine();
  let queue = Promise.resolve();
  const handle = async (message: ToSandbox) => {
    switch (message.type) {
      case "load":
        send({ type: "loaded", id: message.id, reply: await engine.load(message.version, message.program) });
        return;
      case "drop":
        engine.drop(message.version);
        return;
      case "eval": {
        const { id, type: _type, ...request } = message;
        const reply = await engine.evaluate(request, (index) => send({ type: "progress", id, index }));
        send({ type: "result", id, reply });
        // Upkeep after answering; the pool waits for "ready" before sending more.
        if (await engine.maintain()) send({ type: "ready" });
        return;
      }
    }
  };
  process.on("message", (message: ToSandbox) => {
    // One message at a time, in order: the engine is single-threaded state.
    queue = queue
      .then(() => handle(message))
      .catch((error) => {
        send({ type: "fatal", message: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      });
  });
  send({ type: "ready" });
} catch (error) {
  send({ type: "fatal", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
