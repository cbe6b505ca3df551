/**
 * The walk's size limits: syntax nodes counted, nesting measured. Past either the walk stops,
 * with one problem saying which, so that a pathological expression costs a bounded walk.
 */
import type { ESTree } from "meriyah";
import { LIMITS } from "../limits.ts";
import type { Report } from "./analyze.ts";

export class SizeBudget {
  private nodes = 0;
  private stopped = false;

  constructor(private readonly report: Report) {}

  /** Counts a node; false (and the walk stops) past the size or nesting limit. */
  enter(node: ESTree.Node, depth: number): boolean {
    if (this.stopped) return false;
    this.nodes += 1;
    if (this.nodes > LIMITS.maxNodes) {
      this.report(node, `the expression is too large (more than ${LIMITS.maxNodes} syntax nodes)`);
      this.stopped = true;
      return false;
    }
    if (depth > LIMITS.maxNesting) {
      this.report(node, `the expression is nested too deeply (more than ${LIMITS.maxNesting} levels)`);
      this.stopped = true;
      return false;
    }
    return true;
  }
}
