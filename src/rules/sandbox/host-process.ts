/**
 * Entry point of a sandbox process (spawned by pool.ts): one QuickJS engine, driven over IPC.
 * A separate process rather than a Worker because a Worker cannot be stopped while it is inside
 * WebAssembly: QuickJS builtins that never check the interrupt handler (e.g.
 * `Array(2**32-1).includes(1)`) would keep a terminated Worker's thread spinning, while a
 * process can always be killed.
 */
import type { SandboxProgram } from "../compile/program.ts";
import { followParent, leaveWith } from "./child.ts";
import { expandProgram } from "./delta.ts";
import { createEngine } from "./engine.ts";
import type { EvalReply, FromSandbox, ToSandbox } from "./protocol.ts";

function send(message: FromSandbox) {
  process.send?.(message);
}

// The evaluator owns us: when it goes, we go.
followParent();

try {
  const engine = await createEngine();
  /** The programs loaded (and not dropped): what the host sends by key only (delta.ts). */
  const held = new Map<string, SandboxProgram>();
  let queue = Promise.resolve();
  const handle = async (message: ToSandbox) => {
    switch (message.type) {
      case "load": {
        const program = expandProgram(message.program, held.values());
        held.set(message.rulesetKey, program);
        send({ type: "loaded", id: message.id, reply: await engine.load(message.rulesetKey, program) });
        return;
      }
      case "drop":
        held.delete(message.rulesetKey);
        engine.drop(message.rulesetKey);
        return;
      case "eval": {
        const { id, items, batchLimitMs, rulesetKey, budgetMs, stepwise } = message;
        const onProgress = (index: number) => send({ type: "progress", id, index });
        const replies: EvalReply[] = [];
        const started = performance.now();
        for (const item of items) {
          const request = { rulesetKey, budgetMs, stepwise, evidence: item.evidence, skip: item.skip };
          const reply = await engine.evaluate(request, onProgress);
          replies.push(reply);
          // Out of memory or rebuilt: the pool replaces this process; the rest run elsewhere.
          if (reply.restarts.length > 0) break;
          // Past the batch's time (a rule ran to its budget, say): the rest run elsewhere.
          if (performance.now() - started > batchLimitMs) break;
        }
        send({ type: "result", id, replies });
        // Upkeep after answering; the pool waits for "ready" before sending more.
        if (await engine.maintain()) send({ type: "ready" });
        return;
      }
    }
  };
  process.on("message", (message: ToSandbox) => {
    // One message at a time, in order: the engine is single-threaded state.
    queue = queue.then(() => handle(message)).catch(leaveWith);
  });
  send({ type: "ready" });
} catch (error) {
  leaveWith(error);
}
