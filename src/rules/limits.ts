/**
 * Hard limits of the rule engine. The static ones keep anything pathological away from QuickJS
 * (whose parser overflows at ~550 nested brackets whatever the stack limit); the sandbox ones
 * were measured with quickjs-emscripten 0.32 (see docs/rules.md, "Limits").
 */
export const LIMITS = {
  /**
   * Characters in one expression: the one limit, used by the check, the admin API's schema and
   * stated in docs/rules.md (room for ~1,600 quoted personnel numbers). The database checks the
   * same number (rules_expression_length in src/db/schema.ts): change both together.
   */
  maxExpressionLength: 20_000,
  /** Syntax nesting (brackets, calls, arrows…; chains like a || b || c and a.b.c count once). */
  maxNesting: 64,
  /** AST nodes in one expression. */
  maxNodes: 6_000,
  /** Application codes in one LK1 rule, and characters in one code. */
  maxAppCodes: 500,
  maxAppCodeLength: 64,
  /**
   * Guest stack. Above ~128 KiB a deep JSON.parse overflows the *host* stack of a Bun worker
   * (and ~192 KiB on a main thread) before QuickJS notices; 64 KiB keeps every overflow inside
   * the guest with a 2× margin and is plenty for rules.
   */
  stackBytes: 64 * 1024,
  /** Memory a request may allocate on top of what the loaded rule programs occupy. */
  requestHeadroomBytes: 32 * 1024 * 1024,
  /** Ceiling while a program is being loaded (constants of 1,000 rules fit well within). */
  loadMemoryBytes: 512 * 1024 * 1024,
  /** How long loading one program may run in the sandbox. */
  loadBudgetMs: 10_000,
  /**
   * Minimum hard deadline of the watchdog, whatever the budget. The deadline is silence, not
   * total time: the budget stops a rule long before it, and a process that reached the
   * interrupt handler reports in. Short, because a rule that never returns to the interpreter
   * holds up the employee whose request found it for about two deadlines (one to kill, one
   * to name the rule), and others' requests of the same rule set for about one.
   */
  minHardDeadlineMs: 250,
  /** Hard deadline = this × budget (but at least minHardDeadlineMs). */
  hardDeadlineFactor: 4,
  /** Error messages coming out of the sandbox are cut to this many characters. */
  maxErrorMessage: 300,
  /** Overruns that quarantine a rule, and the window they must fall in. */
  quarantineOverruns: 3,
  quarantineWindowMs: 10 * 60_000,
} as const;

/** Arrays of at least this many literal elements are hoisted as compile-time constants. */
export const HOIST_MIN_ELEMENTS = 2;
