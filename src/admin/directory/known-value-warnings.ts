/**
 * The rule check's warning about values that exist nowhere in the directory copy: a string
 * literal compared with a field (`region === "R77"`, `roles.includes("кассир")`,
 * `hasRole("casheir")`, `["R077", "R78"].includes(region)`) that no employee has. A warning,
 * never a refusal: the value may be new in SAP since the last sync. Only for an expression
 * that passed the check (so it parses), and only once the directory has been synced.
 */
import { type ESTree, parseScript } from "meriyah";
import type { KnownValue, KnownValuesIndex, ValueField } from "../../directory/index.ts";

export interface KnownValueWarning {
  message: string;
}

const LIST_FIELDS: Record<string, ValueField> = { roles: "roles", apps: "apps", orgunit_path: "orgunit_id" };
const SCALAR_FIELDS: Record<string, ValueField> = {
  region: "region",
  orgunit_id: "orgunit_id",
  position_id: "position_id",
  employee_group: "employee_group",
  employment_type: "employment_type",
};
const HELPER_FIELDS: Record<string, ValueField> = {
  hasRole: "roles",
  hasApp: "apps",
  inRegion: "region",
  inOrgUnit: "orgunit_id",
};
const NOUN: Record<ValueField, string> = {
  roles: "role",
  apps: "app",
  region: "region",
  orgunit_id: "org unit",
  position_id: "position",
  employee_group: "employee group",
  employment_type: "employment type",
};
const SHOWN = 3;

/** [field, literal] pairs the expression compares. */
export function comparedLiterals(expression: string): Array<[ValueField, string]> {
  let program: ESTree.Program;
  try {
    program = parseScript(`(${expression}\n)`, { next: true });
  } catch {
    return [];
  }
  const found: Array<[ValueField, string]> = [];
  const strings = (node: ESTree.Node | null | undefined): string[] => {
    if (!node) return [];
    if (node.type === "Literal" && typeof node.value === "string") return [node.value];
    if (node.type === "ArrayExpression")
      return node.elements.flatMap((e) => strings(e as ESTree.Node | null));
    return [];
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const n = node as ESTree.Node;
    if (n.type === "CallExpression") {
      const callee = n.callee;
      if (callee.type === "Identifier" && HELPER_FIELDS[callee.name]) {
        for (const arg of n.arguments)
          for (const s of strings(arg)) found.push([HELPER_FIELDS[callee.name] as ValueField, s]);
      }
      if (
        callee.type === "MemberExpression" &&
        callee.property.type === "Identifier" &&
        callee.property.name === "includes"
      ) {
        const target = callee.object;
        if (target.type === "Identifier" && LIST_FIELDS[target.name]) {
          for (const s of strings(n.arguments[0])) found.push([LIST_FIELDS[target.name] as ValueField, s]);
        }
        const arg = n.arguments[0];
        if (target.type === "ArrayExpression" && arg?.type === "Identifier") {
          const field = SCALAR_FIELDS[arg.name] ?? LIST_FIELDS[arg.name];
          if (field) for (const s of strings(target)) found.push([field, s]);
        }
      }
    }
    if (n.type === "BinaryExpression" && ["===", "==", "!==", "!="].includes(n.operator)) {
      for (const [a, b] of [
        [n.left, n.right],
        [n.right, n.left],
      ] as const) {
        if (a.type === "Identifier" && SCALAR_FIELDS[a.name]) {
          for (const s of strings(b)) found.push([SCALAR_FIELDS[a.name] as ValueField, s]);
        }
      }
    }
    for (const [key, child] of Object.entries(n)) if (key !== "loc" && key !== "range") visit(child);
  };
  visit(program);
  return found;
}

export async function knownValueWarnings(
  index: KnownValuesIndex,
  expression: string,
): Promise<KnownValueWarning[]> {
  const warnings: KnownValueWarning[] = [];
  const said = new Set<string>();
  for (const [field, literal] of comparedLiterals(expression)) {
    const key = `${field}\n${literal}`;
    if (said.has(key)) continue;
    said.add(key);
    const { values } = await index.all(field);
    if (values.length === 0 || values.some((v) => v.value === literal)) continue;
    const closest = nearest(values, literal).slice(0, SHOWN);
    const more = values.length > SHOWN ? ", …" : "";
    warnings.push({
      message: `'${literal}' is not a known ${NOUN[field]} (known: ${closest.join(", ")}${more})`,
    });
  }
  return warnings;
}

/** Known values closest to `literal` (edit distance, any case), most common first among equals. */
function nearest(values: readonly KnownValue[], literal: string): string[] {
  const want = literal.toLocaleLowerCase();
  return values
    .map((v) => ({ v, d: distance(v.value.toLocaleLowerCase(), want), n: v.name?.toLocaleLowerCase() }))
    .map((x) => ({ ...x, d: x.n === undefined ? x.d : Math.min(x.d, distance(x.n, want)) }))
    .sort((a, b) => a.d - b.d || b.v.count - a.v.count)
    .map((x) => x.v.value);
}

function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.abs(a.length - b.length) + 64;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/** The validate answer with these warnings added (the hook in src/admin/rules/routes.ts). */
export async function withKnownValueWarnings<
  T extends { valid: boolean; warnings: Array<{ message: string }> },
>(index: KnownValuesIndex, request: { expression: string; kind?: string }, result: T): Promise<T> {
  if (!result.valid || (request.kind ?? "expression") !== "expression") return result;
  const extra = await knownValueWarnings(index, request.expression);
  return extra.length === 0 ? result : { ...result, warnings: [...result.warnings, ...extra] };
}
