/**
 * Kept apart from vocabulary.ts because the sandbox library needs it too, and the sandbox
 * process must load nothing of the service but the rule engine (see test/module-doors.test.ts).
 */
/** Property names that lead to prototypes, constructors or `this` tricks. */
export const BANNED_PROPERTIES: ReadonlySet<string> = new Set([
  "constructor",
  "__proto__",
  "prototype",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "caller",
  "callee",
  "arguments",
  "call",
  "apply",
  "bind",
]);
