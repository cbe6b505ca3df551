/**
 * Quarantined rules stop running (and evaluate as errors) until they are edited, i.e. until
 * their version changes: a rule that keeps overrunning its budget, and at once one that hung,
 * crashed or exhausted a sandbox. State is per rule version, with the reason.
 */
export interface QuarantineOptions {
  /** Overruns within `windowMs` that quarantine a rule. */
  threshold: number;
  windowMs: number;
  now?: () => number;
}

export interface Quarantine {
  has(ruleKey: string): boolean;
  /** Why the rule is quarantined; undefined when it is not. */
  reasonFor(ruleKey: string): string | undefined;
  /** Records one overrun; true when it has just put the rule in quarantine (for `reason`). */
  recordOverrun(ruleKey: string, reason: string): boolean;
  /** Quarantines at once (a rule that broke a sandbox); true when it was not already. */
  quarantine(ruleKey: string, reason: string): boolean;
  /** Forgets rules (or versions of them) that are no longer in the rule set. */
  retain(ruleKeys: ReadonlySet<string>): void;
  readonly size: number;
  /** Changes whenever the quarantined set changes (part of the result-cache key). */
  readonly epoch: number;
}

/** The key of one revision of one rule. */
export const ruleKey = (rule: { id: number; ruleVersion: number }): string =>
  `${rule.id}@${rule.ruleVersion}`;

export function createQuarantine(options: QuarantineOptions): Quarantine {
  const now = options.now ?? Date.now;
  const overruns = new Map<string, number[]>();
  const quarantined = new Map<string, string>();
  let epoch = 0;

  const quarantine = (key: string, reason: string) => {
    overruns.delete(key);
    if (quarantined.has(key)) return false;
    quarantined.set(key, reason);
    epoch += 1;
    return true;
  };

  return {
    has: (key) => quarantined.has(key),
    reasonFor: (key) => quarantined.get(key),
    recordOverrun(key, reason) {
      if (quarantined.has(key)) return false;
      const t = now();
      const recent = (overruns.get(key) ?? []).filter((at) => t - at < options.windowMs);
      recent.push(t);
      overruns.set(key, recent);
      return recent.length >= options.threshold ? quarantine(key, reason) : false;
    },
    quarantine,
    retain(keys) {
      for (const key of overruns.keys()) if (!keys.has(key)) overruns.delete(key);
      for (const key of quarantined.keys()) {
        if (!keys.has(key)) {
          quarantined.delete(key);
          epoch += 1;
        }
      }
    },
    get size() {
      return quarantined.size;
    },
    get epoch() {
      return epoch;
    },
  };
}
