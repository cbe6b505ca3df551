/**
 * Where a trial's real employees come from, best first:
 *   1. the employee directory, once one is synced (src/directory: a pick spread over regions and
 *      roles, awkward records first);
 *   2. the demo directory, when the built-in demo SAP is serving;
 *   3. recently seen evidence: whatever this instance's evidence cache holds.
 * The first source that has anyone wins; the sample is topped up from the demo directory either
 * way (see sample.ts).
 */
import type { EmployeeEvidence } from "../../evidence/index.ts";
import { demoEmployees } from "./sample.ts";

export type TrialSampleOrigin = "directory" | "demo" | "recent" | "synthetic";

export interface TrialSampleSource {
  readonly origin: TrialSampleOrigin;
  /**
   * Up to about `limit` employees. The same data must give the same employees (the trial's
   * sample is fixed, not random); an empty answer means "nothing here, ask the next source".
   */
  employees(limit: number): Promise<readonly EmployeeEvidence[]>;
}

/** The demo directory's employees (generated from the personnel number, no SAP call). */
export function demoDirectorySource(): TrialSampleSource {
  return { origin: "demo", employees: async (limit) => demoEmployees(limit) };
}

/** The synced employee directory (`sample` answers [] until a sync has succeeded). */
export function directorySampleSource(
  sample: (limit: number) => Promise<EmployeeEvidence[]>,
): TrialSampleSource {
  return { origin: "directory", employees: sample };
}

/** What the evidence cache holds right now (`recent` answers most recently used first). */
export function recentEvidenceSource(
  recent: (limit: number) => readonly EmployeeEvidence[],
): TrialSampleSource {
  // Ask for more than needed so that the even spread over personnel numbers (sample.ts) does
  // not depend on who happened to log in last.
  return { origin: "recent", employees: async (limit) => recent(limit * 4) };
}

export interface SampleSources {
  /** The synced employee directory, when there is one. */
  directory?: TrialSampleSource;
  /** Set when the demo SAP is serving. */
  demo?: TrialSampleSource;
  recent?: TrialSampleSource;
}

export interface SourcedEmployees {
  origin: TrialSampleOrigin;
  employees: readonly EmployeeEvidence[];
}

/**
 * The first source, in order of preference, that has anyone. A source that fails is skipped
 * (and reported to `onError`): the trial still runs on the synthetic and demo employees rather
 * than refusing every save.
 */
export async function sourceEmployees(
  sources: SampleSources,
  limit: number,
  onError?: (origin: TrialSampleOrigin, error: unknown) => void,
): Promise<SourcedEmployees> {
  for (const source of [sources.directory, sources.demo, sources.recent]) {
    if (!source) continue;
    try {
      const employees = await source.employees(limit);
      if (employees.length > 0) return { origin: source.origin, employees };
    } catch (error) {
      onError?.(source.origin, error);
    }
  }
  return { origin: "synthetic", employees: [] };
}

/** What the evidence source may offer the trial besides lookups (the SAP-backed one does). */
export interface EvidenceForTrial {
  /** True when the built-in demo SAP directory is serving. */
  readonly demo?: boolean;
  /** Employees the evidence cache holds, most recently used first. */
  recentEvidence?(limit: number): readonly EmployeeEvidence[];
}

/** The sources a trial draws from, given what the evidence source offers. */
export function trialSampleSources(evidence: EvidenceForTrial, directory?: TrialSampleSource): SampleSources {
  const recent = evidence.recentEvidence?.bind(evidence);
  return {
    directory,
    demo: evidence.demo === true ? demoDirectorySource() : undefined,
    recent: recent ? recentEvidenceSource(recent) : undefined,
  };
}
