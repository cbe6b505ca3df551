/**
 * Rules that keep overrunning their budget are quarantined: they stop running (and evaluate as
 * errors) until they are edited, i.e. until their version changes. State is per rule version.
 */
export interface QuarantineOptions {
  /** Overruns within `windowMs` that quarantine a rule. */
  threshold: number;
  windowMs: number;
  now?: () => number;
}

export interface Quarantine {
  has(ruleKey: string): boolean;
  /** Records one overrun; true when it has just put the rule in quarantine. */
  recordOverrun(ruleKey: string): boolean;
  /** Quarantines at once (a rule that hung a sandbox); true when it was not already. */
  quarantine(ruleKey: string): boolean;
  /** Forgets rules (or versions of them) that are no longer in the rule set. */
  retain(ruleKeys: ReadonlySet<string>): void;
  readonly size: number;
  /** Changes whenever the quarantined set changes (part of the result-cache key). */
  readonly epoch: number;
}

/** The key of one version of one rule. */
export const ruleKey = (rule: { id: number; version: number }): string => `${rule.id}@${rule.version}`;

export function createQuarantine(options: QuarantineOptions): Quarantine {
  const now = options.now ?? Date.now;
  const overruns = new Map<string, number[]>();
  const quarantined = new Set<string>();
  let epoch = 0;

  const quarantine = (key: string) => {
    overruns.delete(key);
    if (quarantined.has(key)) return false;
    quarantined.add(key);
    epoch += 1;
    return true;
  };

  return {
    has: (key) => quarantined.has(key),
    recordOverrun(key) {
      if (quarantined.has(key)) return false;
      const t = now();
      const recent = (overruns.get(key) ?? []).filter((at) => t - at < options.windowMs);
      recent.push(t);
      overruns.set(key, recent);
      return recent.length >= options.threshold ? quarantine(key) : false;
    },
    quarantine,
    retain(keys) {
      for (const key of overruns.keys()) if (!keys.has(key)) overruns.delete(key);
      for (const key of quarantined) {
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
