/**
 * The names of one expression: arrow parameters in scope (they shadow everything outside), and
 * every free name resolved to evidence, a helper, another rule or a safe global — or reported.
 * What it resolves goes into the walk's analysis.
 */
import type { ESTree } from "meriyah";
import { EVIDENCE, HELPER_READS, isReservedIdentifier, SAFE_GLOBALS, UNAVAILABLE } from "../vocabulary.ts";
import type { Analysis, NameWorld, Report } from "./analyze.ts";
import { unknownName } from "./messages.ts";

export class NameResolver {
  private readonly scopes: Array<Set<string>> = [];
  /** `Date` identifiers used in ways that do not read the clock (new Date(x), Date.parse…). */
  private readonly clockFreeDate = new Set<ESTree.Node>();

  constructor(
    private readonly world: NameWorld,
    private readonly result: Analysis,
    private readonly report: Report,
  ) {}

  isBound(name: string): boolean {
    return this.scopes.some((scope) => scope.has(name));
  }

  /** The identifier `name`, not shadowed by a parameter: the global of that name. */
  isFreeNamed(node: ESTree.Node, name: string): boolean {
    return node.type === "Identifier" && node.name === name && !this.isBound(name);
  }

  /** This `Date` does not read the clock: `new Date(x)`, `Date.parse`, `Date.UTC`. */
  markClockFree(node: ESTree.Node): void {
    this.clockFreeDate.add(node);
  }

  /** Runs `walk` with the names in `bound` in scope. */
  within(bound: Set<string>, walk: () => void): void {
    this.scopes.push(bound);
    try {
      walk();
    } finally {
      this.scopes.pop();
    }
  }

  /** A name an arrow parameter binds (into `bound`); a reserved one is reported. */
  bind(id: ESTree.Identifier, bound: Set<string>): void {
    this.refuseReserved(id);
    bound.add(id.name);
  }

  /** A free name must be evidence, a helper, another rule or a safe global. */
  resolve(id: ESTree.Identifier): void {
    const { name } = id;
    const { result, world } = this;
    if (this.refuseReserved(id) || this.isBound(name)) return;
    if (EVIDENCE.has(name)) {
      result.evidence.add(name);
      result.free.set(id, "evidence");
    } else if (name in HELPER_READS) {
      result.helpers.add(name);
      result.free.set(id, "helper");
    } else if (name === world.selfName) {
      this.report(id, `a rule cannot refer to itself (cycle: ${name} → ${name})`);
    } else if (world.isRule(name)) {
      if (!result.rules.has(name)) result.rules.set(name, id);
      result.free.set(id, "rule");
    } else if (SAFE_GLOBALS.has(name)) {
      result.free.set(id, "global");
      if (name === "Date" && !this.clockFreeDate.has(id)) result.readsNow = true;
    } else {
      this.report(id, UNAVAILABLE[name] ?? unknownName(name, world));
    }
  }

  private refuseReserved(id: ESTree.Identifier): boolean {
    if (!isReservedIdentifier(id.name)) return false;
    this.report(id, `names starting with $ or __ are reserved (${id.name})`);
    return true;
  }
}
