/**
 * LK2's rules → ours (pure). In LK2's order (by id), because that is how LK2 evaluates them: a
 * rule sees the results of the rules before it, by name. Each rule is translated (translated),
 * kept as an LK1 app-code rule (lk1), or imported disabled with its Python kept in a comment
 * (refused; not_executable when LK2 itself never ran it).
 */
import type { schema } from "../db/index.ts";
import { AppError } from "../errors.ts";
import { EVIDENCE_VARIABLES } from "../evidence/index.ts";
import { checkRule, LIMITS, type RuleCheck } from "../rules/index.ts";
import type { Lk2Rule } from "./export.ts";
import { PYTHON_BUILTINS, type RuleMeaning, translatePython } from "./python/index.ts";

export type RuleOutcome = "translated" | "lk1" | "refused" | "not_executable";

/** One LK2 rule as a rule of ours (the fields a rule change writes) and where it came from. */
export interface PlannedRule extends schema.RuleFields {
  lk2Id: number;
  /** How LK2's rules refer to it: its name, or rule_<id>. */
  lk2Name: string;
  python: string;
  outcome: RuleOutcome;
  /** Why it was not translated (refused; not_executable when its Python could not be translated either). */
  refusal?: { construct: string; reason: string; line: number; column: number };
  /** Why its name differs from LK2's. */
  renamed?: string;
  /** LK2 ids of the rules its Python mentions. */
  references: number[];
}

const EVIDENCE: ReadonlySet<string> = new Set<string>(EVIDENCE_VARIABLES);
const CODE_LIST = /^\s*[A-Za-z0-9_]+(?:\s*[,;]\s*[A-Za-z0-9_]+)*\s*[,;]?\s*$/;
const PYTHON_CONSTANTS = new Set(["True", "False", "None"]);

export interface RulePlanOptions {
  /** Names of our rules that did not come from LK2: an imported rule must not take one. */
  taken: ReadonlySet<string>;
  /** Why a name cannot be a rule name of ours (the admin API's own check), or null. */
  nameProblem: (name: string) => string | null;
}

export function planRules(rules: readonly Lk2Rule[], options: RulePlanOptions): PlannedRule[] {
  const { taken, nameProblem } = options;
  const sorted = [...rules].sort((a, b) => a.id - b.id);
  const lk2Names = new Map(sorted.map((rule) => [rule.id, lk2NameOf(rule)]));
  const everyName = new Set(lk2Names.values());
  const meanings = new Map<string, RuleMeaning>();
  const used = new Set(taken);
  const planned: PlannedRule[] = [];

  for (const rule of sorted) {
    const lk2Name = lk2NameOf(rule);
    const { name, renamed } = chooseName(rule, lk2Name, used, nameProblem);
    used.add(name);
    const world = {
      rule: (pyName: string): RuleMeaning | undefined =>
        meanings.get(pyName) ??
        (everyName.has(pyName) && !EVIDENCE.has(pyName) && !PYTHON_BUILTINS.has(pyName)
          ? { kind: "refused", reason: `LK2 evaluates ${pyName} after this rule (a NameError there)` }
          : undefined),
      ruleJsNames: new Set(planned.map((p) => p.name)),
    };
    const base = { lk2Id: rule.id, lk2Name, name, title: titleOf(rule), python: rule.value, renamed };
    const plan = planOne(rule, base, world, planned);
    planned.push(plan);
    // What later rules see under this name.
    if (EVIDENCE.has(lk2Name) || PYTHON_BUILTINS.has(lk2Name)) {
      meanings.set(lk2Name, {
        kind: "refused",
        reason: `${lk2Name} is both an LK2 rule and a built-in or evidence name`,
      });
    } else if (plan.outcome === "refused") {
      meanings.set(lk2Name, {
        kind: "refused",
        reason: `it uses rule ${lk2Name} (#${rule.id}), which was not translated`,
      });
    } else if (!plan.enabled) {
      meanings.set(lk2Name, { kind: "false" });
    } else {
      meanings.set(lk2Name, { kind: "rule", js: name });
    }
  }
  for (const plan of planned) {
    plan.references = plan.references.filter((id) => id !== plan.lk2Id);
  }
  return planned;
}

type Base = Pick<PlannedRule, "lk2Id" | "lk2Name" | "name" | "title" | "python" | "renamed">;

function planOne(
  rule: Lk2Rule,
  base: Base,
  world: { rule(name: string): RuleMeaning | undefined; ruleJsNames: ReadonlySet<string> },
  earlier: readonly PlannedRule[],
): PlannedRule {
  const byLk2Name = new Map(earlier.map((p) => [p.lk2Name, p.lk2Id]));
  const codes = rule.lk1 ? appCodes(rule.value, (name) => byLk2Name.has(name)) : null;
  if (codes) {
    const check = checkRule({ kind: "lk1", expression: "", appCodes: codes }, { ruleNames: new Set() });
    if (check.valid) {
      return {
        ...base,
        kind: "lk1",
        expression: "",
        appCodes: codes,
        enabled: true,
        dependsOn: [],
        outcome: "lk1",
        references: [],
      };
    }
  }
  const translation = translatePython(rule.value, world);
  const mentioned = translation.names.length > 0 ? translation.names : identifiersIn(rule.value);
  const references = [...new Set(mentioned.flatMap((name) => byLk2Name.get(name) ?? []))];
  const executable = rule.executable;
  const names = earlier.filter((p) => p.enabled || !executable);
  let refusal: PlannedRule["refusal"];
  if (translation.ok) {
    const check = checkAgainst(translation.js, base.name, names);
    if (check.valid) {
      return {
        ...base,
        kind: "expression",
        expression: translation.js,
        appCodes: [],
        enabled: executable,
        dependsOn: check.rules,
        outcome: executable ? "translated" : "not_executable",
        references,
      };
    }
    const first = check.errors[0];
    refusal = {
      construct: "our rule check",
      reason: first?.message ?? "the translation does not pass our check",
      line: 1,
      column: 1,
    };
  } else {
    refusal = {
      construct: translation.construct,
      reason: translation.reason,
      line: translation.line,
      column: translation.column,
    };
  }
  return {
    ...base,
    kind: "expression",
    expression: keptAsComment(rule, refusal),
    appCodes: [],
    enabled: false,
    dependsOn: [],
    outcome: executable ? "refused" : "not_executable",
    refusal,
    references,
  };
}

function checkAgainst(expression: string, selfName: string, others: readonly PlannedRule[]): RuleCheck {
  return checkRule(
    { kind: "expression", expression, appCodes: [] },
    {
      ruleNames: new Set(others.map((p) => p.name)),
      dependencies: new Map(others.map((p) => [p.name, p.dependsOn])),
      selfName,
    },
  );
}

export function lk2NameOf(rule: Lk2Rule): string {
  const name = rule.name?.trim();
  return name ? name.normalize("NFKC") : `rule_${rule.id}`;
}

/** LK2's own name when it is a valid name of ours and free; else lk2_<name>, else lk2_rule_<id>. */
function chooseName(
  rule: Lk2Rule,
  lk2Name: string,
  used: ReadonlySet<string>,
  nameProblem: (name: string) => string | null,
): { name: string; renamed?: string } {
  const candidates = [lk2Name, `lk2_${lk2Name}`, `lk2_rule_${rule.id}`];
  for (const candidate of candidates) {
    if (nameProblem(candidate) === null && !used.has(candidate)) {
      if (candidate === lk2Name) return { name: candidate };
      const problem = nameProblem(lk2Name);
      return { name: candidate, renamed: problem ?? `the name ${lk2Name} is taken by another rule` };
    }
  }
  throw new AppError(
    "conflict",
    `no name is free for LK2 rule #${rule.id}: ${candidates.join(", ")} are taken`,
    [{ message: "names taken", lk2_id: rule.id, path: "name" }],
  );
}

/**
 * An LK1 rule's codes, or null when its value is a Python expression (LK1 rules rewritten in
 * Python kept the flag). Codes are letters, digits and _ separated by commas or semicolons; a
 * single word that is a name in LK2's rules (evidence, a built-in, an earlier rule, True) is Python.
 */
export function appCodes(value: string, isRule: (name: string) => boolean): string[] | null {
  if (!CODE_LIST.test(value)) return null;
  const codes = [
    ...new Set(
      value
        .split(/[,;]/)
        .map((code) => code.trim())
        .filter(Boolean),
    ),
  ];
  const [only] = codes;
  if (codes.length === 1 && only !== undefined) {
    if (EVIDENCE.has(only) || PYTHON_BUILTINS.has(only) || PYTHON_CONSTANTS.has(only) || isRule(only))
      return null;
  }
  return codes.length > 0 ? codes : null;
}

function identifiersIn(source: string): string[] {
  return [...new Set(source.match(/[\p{L}_][\p{L}\p{N}_]*/gu) ?? [])];
}

/** Titles are shown to employees: control and bidirectional characters go, 300 characters at most. */
function titleOf(rule: Lk2Rule): string {
  const clean = rule.title
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, " ")
    .trim()
    .slice(0, 300)
    .trim();
  return clean || `LK2 rule #${rule.id}`;
}

/**
 * The expression of a rule imported disabled: `false`, with the original Python in a comment so
 * an admin can rewrite it (and so that it still passes our check, as every stored rule does).
 */
function keptAsComment(rule: Lk2Rule, refusal: NonNullable<PlannedRule["refusal"]>): string {
  const safe = (text: string) =>
    text
      .replaceAll("*/", "*\\/")
      .replace(
        /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]|[^\P{Cc}\t\n\r]/gu,
        (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`,
      );
  const why = rule.executable
    ? "was not translated"
    : "is not executable in LK2 (false for everyone there) and could not be translated";
  const head =
    `/* LK2 rule #${rule.id} ${why}: ${safe(refusal.construct)} at line ${refusal.line}, column ${refusal.column} ` +
    `(${safe(refusal.reason)}).\n   Its Python, to rewrite by hand:\n\n`;
  const tail = "\n*/ false";
  const room = LIMITS.maxExpressionLength - head.length - tail.length - 40;
  const python = safe(rule.value);
  const kept =
    python.length > room ? `${python.slice(0, Math.max(0, room))}\n… (cut: too long to keep whole)` : python;
  return `${head}${kept}${tail}`;
}
