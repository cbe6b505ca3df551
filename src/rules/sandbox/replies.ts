/** Building and reading evaluation replies on the host side of the sandbox. */
import type { EvalReply, RestartReason, RuleError } from "./protocol.ts";

/** Every rule failed for one reason. */
export function failAll(
  n: number,
  kind: RuleError[1],
  message: string,
  restarts: readonly RestartReason[] = [],
): EvalReply {
  return {
    codes: "e".repeat(n),
    errors: Array.from({ length: n }, (_, i): RuleError => [i, kind, message]),
    restarts: [...restarts],
  };
}

/**
 * The reply with the processes this request killed counted as restarts, and the rules found to
 * hang a sandbox on its behalf (which did not run this time) failed as "hang".
 */
export function withCulprits(
  reply: EvalReply,
  kills: readonly RestartReason[],
  culprits: readonly number[],
  deadlineMs: number,
): EvalReply {
  const restarts = [...kills, ...reply.restarts];
  if (culprits.length === 0) return { ...reply, restarts };
  const codes = reply.codes.split("");
  const errors = reply.errors.filter(([i]) => !culprits.includes(i));
  for (const i of culprits) {
    codes[i] = "e";
    errors.push([i, "hang", `stopped by the watchdog: the sandbox did not answer within ${deadlineMs} ms`]);
  }
  return { codes: codes.join(""), errors, restarts };
}

/**
 * The rules of a reply that broke their sandbox: out of memory, or a crash the engine pinned on
 * one rule (when every rule failed with "crash" the engine gave up and no rule is to blame).
 */
export function killersIn(reply: EvalReply): Array<[number, RuleError[1]]> {
  const crashes = reply.errors.filter(([, kind]) => kind === "crash");
  const blamed = crashes.length < reply.codes.length ? crashes : [];
  return [...reply.errors.filter(([, kind]) => kind === "oom"), ...blamed].map(([i, kind]) => [i, kind]);
}
