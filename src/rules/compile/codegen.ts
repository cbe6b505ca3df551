/**
 * One validated expression → its text in the sandbox program (compile/program.ts). The admin's
 * text is kept as written (so error messages point at what they wrote), with these rewrites:
 *  - literal lists (all elements literals) are hoisted into constants (compile/constants.ts) built
 *    once in the sandbox, where no rule code can get hold of them; `[…].includes(x)` on them
 *    becomes a Set lookup;
 *  - `[…].some(u => list.includes(u))`, with `list` an evidence array, becomes
 *    `list.some(<in set>)`: a few lookups instead of a scan per list element;
 *  - inOrgUnit/hasRole/hasApp/inRegion/inStore with literal ids become Set lookups too;
 *  - computed member access with a non-literal key goes through `$key`, which refuses
 *    "constructor", "__proto__" and the like at run time.
 */
import type { ESTree } from "meriyah";
import type { Analysis } from "../check/analyze.ts";
import { HOIST_MIN_ELEMENTS } from "../limits.ts";
import { ARRAY_EVIDENCE } from "../vocabulary.ts";
import { type ConstantPool, isEncodable, type ListValue } from "./constants.ts";

/** Array methods that neither change the array nor hand it to a callback. */
const PLAIN_READ_METHODS = new Set([
  "at",
  "concat",
  "entries",
  "flat",
  "includes",
  "indexOf",
  "join",
  "keys",
  "lastIndexOf",
  "slice",
  "toReversed",
  "toSorted", // its comparator sees elements only
  "toSpliced",
  "toString",
  "values",
  "with",
]);

/**
 * Array methods that call back with (element, index, array) — or (acc, element, index, array):
 * the position of the array among the callback's arguments.
 */
const CALLBACK_METHODS: Readonly<Record<string, number>> = {
  every: 2,
  filter: 2,
  find: 2,
  findIndex: 2,
  findLast: 2,
  findLastIndex: 2,
  flatMap: 2,
  forEach: 2,
  map: 2,
  some: 2,
  reduce: 3,
  reduceRight: 3,
};

/** Builtins that ignore extra arguments, so they never see the array as a callback. */
const SAFE_CALLBACKS = new Set(["Number", "String", "Boolean"]);

export interface RuleCodeInput {
  source: string;
  expression: ESTree.Expression;
  analysis: Analysis;
  pool: ConstantPool;
}

/**
 * The rule as one expression for the program (compile/program.ts): evidence variables and other
 * rules are read by name there, so the admin's text is kept as written, with the rewrites above.
 */
export function ruleExpression(input: RuleCodeInput): string {
  return emitExpression(input);
}

/** LK1: true when `apps` holds any of the codes. */
export function lk1Expression(appCodes: readonly string[], pool: ConstantPool): string {
  return `$E.apps.some(${pool.hasFunction([...appCodes])})`;
}

/** Helpers that test membership of an evidence value in their arguments (see wasm/helpers.js). */
const MEMBERSHIP_HELPERS: Readonly<Record<string, { evidence: string; list: boolean }>> = {
  inOrgUnit: { evidence: "orgunit_path", list: true },
  hasRole: { evidence: "roles", list: true },
  hasApp: { evidence: "apps", list: true },
  inRegion: { evidence: "region", list: false },
  inStore: { evidence: "store_id", list: false },
};

/** The value of a literal element (see isLiteralElement). */
function literalValue(node: ESTree.Node | null): unknown {
  if (node?.type === "Literal") return node.value;
  if (node?.type === "UnaryExpression" && node.argument.type === "Literal") {
    const value = Number(node.argument.value);
    return node.operator === "-" ? -value : value;
  }
  throw new Error("not a literal");
}

/** String(value) of a literal element, as the helpers compare ids. */
function literalString(node: ESTree.Node | null): string {
  return String(literalValue(node));
}

function listValues(list: ESTree.ArrayExpression): ListValue[] {
  return list.elements.map((element) => literalValue(element) as ListValue);
}

function isLiteralElement(node: ESTree.Node | null): boolean {
  if (node === null) return false;
  if (node.type === "Literal") {
    return !("regex" in node && node.regex) && !("bigint" in node && node.bigint);
  }
  if (node.type === "UnaryExpression" && (node.operator === "-" || node.operator === "+")) {
    return node.argument.type === "Literal" && typeof node.argument.value === "number";
  }
  return false;
}

function isHoistable(node: ESTree.Node): node is ESTree.ArrayExpression {
  return (
    node.type === "ArrayExpression" &&
    node.elements.length >= HOIST_MIN_ELEMENTS &&
    // A list the sandbox could not rebuild exactly (-0, 1e999) is left where it is, unshared.
    node.elements.every((element) => isLiteralElement(element) && isEncodable(literalValue(element)))
  );
}

function unparen(node: ESTree.Node): ESTree.Node {
  let n = node;
  while (n.type === "ParenthesizedExpression") n = n.expression;
  return n;
}

function childNodes(node: ESTree.Node): ESTree.Node[] {
  const out: ESTree.Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "range") continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  // Larger first at equal starts: a shorthand property's key sits inside its value.
  return out.sort((a, b) => start(a) - start(b) || end(b) - end(a));
}

function isNode(value: unknown): value is ESTree.Node {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

const start = (node: ESTree.Node): number => node.start ?? 0;
const end = (node: ESTree.Node): number => node.end ?? 0;

function emitExpression(input: RuleCodeInput): string {
  const { source, analysis, pool } = input;

  const emit = (node: ESTree.Node): string => {
    const special = rewrite(node);
    if (special !== undefined) return special;
    let out = "";
    let pos = start(node);
    for (const child of childNodes(node)) {
      if (start(child) < pos) continue;
      out += source.slice(pos, start(child)) + emit(child);
      pos = end(child);
    }
    return out + source.slice(pos, end(node));
  };

  /** Emits `node` but with the hoistable list `list` replaced by `replacement`. */
  const emitReplacing = (node: ESTree.Node, list: ESTree.Node, replacement: string): string => {
    let out = "";
    let pos = start(node);
    for (const child of childNodes(node)) {
      if (start(child) < pos) continue;
      out += source.slice(pos, start(child)) + (child === list ? replacement : emit(child));
      pos = end(child);
    }
    return out + source.slice(pos, end(node));
  };

  /**
   * A shared constant must never reach rule code that could change it: either the method does
   * not pass the array on, or its callback cannot receive it (an arrow with too few parameters
   * to get it, a helper, or a builtin that ignores extra arguments).
   */
  const sharesSafely = (method: string, callback: ESTree.Node | undefined): boolean => {
    if (PLAIN_READ_METHODS.has(method)) return true;
    const arrayPosition = CALLBACK_METHODS[method];
    if (arrayPosition === undefined || !callback) return false;
    if (callback.type === "ArrowFunctionExpression") {
      return (
        callback.params.length <= arrayPosition && callback.params.every((p) => p.type !== "RestElement")
      );
    }
    if (callback.type !== "Identifier") return false;
    const kind = analysis.free.get(callback);
    return kind === "helper" || (kind === "global" && SAFE_CALLBACKS.has(callback.name));
  };

  const isEvidenceArray = (node: ESTree.Node): node is ESTree.Identifier =>
    node.type === "Identifier" && analysis.free.get(node) === "evidence" && ARRAY_EVIDENCE.has(node.name);

  const rewrite = (node: ESTree.Node): string | undefined => {
    if (node.type === "CallExpression" && !node.optional) {
      const callee = node.callee;
      if (callee.type === "MemberExpression" && !callee.computed && !callee.optional) {
        const list = callee.object;
        const method = callee.property.type === "Identifier" ? callee.property.name : "";
        if (isHoistable(list) && sharesSafely(method, node.arguments[0])) {
          const [arg, ...rest] = node.arguments;
          if (method === "includes" && arg && arg.type !== "SpreadElement" && rest.length === 0) {
            return `${pool.set(listValues(list))}.has(${emit(arg)})`;
          }
          if (method === "some" && arg && rest.length === 0) {
            const other = listIncludesParam(arg);
            if (other && isEvidenceArray(other))
              return `${other.name}.some(${pool.hasFunction(listValues(list))})`;
          }
          return emitReplacing(
            node,
            callee,
            emitReplacing(callee, callee.object, pool.array(listValues(list))),
          );
        }
      }
      if (node.callee.type === "Identifier" && analysis.free.get(node.callee) === "helper") {
        return emitMembershipHelper(node.callee.name, node.arguments) ?? emitWithListArguments(node);
      }
    }
    if (node.type === "NewExpression" && node.callee.type === "Identifier" && node.callee.name === "Set") {
      return emitWithListArguments(node);
    }
    if (node.type === "MemberExpression" && node.computed && node.property.type !== "Literal") {
      return `${emit(node.object)}${node.optional ? "?." : ""}[$key(${emit(node.property)})]`;
    }
    return undefined;
  };

  /**
   * inOrgUnit("1", "2") and friends with literal arguments become a Set lookup against the
   * evidence directly (same answer as the helper: ids compared as strings).
   */
  const emitMembershipHelper = (
    helper: string,
    args: ReadonlyArray<ESTree.Expression | ESTree.SpreadElement>,
  ): string | undefined => {
    const target = MEMBERSHIP_HELPERS[helper];
    if (!target || args.length === 0) return undefined;
    const ids: string[] = [];
    for (const arg of args) {
      const list = arg.type === "SpreadElement" ? arg.argument : arg;
      if (isHoistable(list)) for (const element of list.elements) ids.push(literalString(element));
      else if (arg.type !== "SpreadElement" && isLiteralElement(arg)) ids.push(literalString(arg));
      else return undefined;
    }
    return target.list
      ? `$E.${target.evidence}.some(${pool.hasFunction(ids)})`
      : `${pool.set(ids)}.has($E.${target.evidence})`;
  };

  /** Helper calls and `new Set([...])` only read their list arguments: share one constant. */
  const emitWithListArguments = (node: ESTree.CallExpression | ESTree.NewExpression): string => {
    let out = "";
    let pos = start(node);
    for (const child of childNodes(node)) {
      if (start(child) < pos) continue;
      let replacement: string;
      if (node.arguments.includes(child as ESTree.Expression) && isHoistable(child)) {
        replacement = pool.array(listValues(child));
      } else if (child.type === "SpreadElement" && isHoistable(child.argument)) {
        replacement = `...${pool.array(listValues(child.argument))}`;
      } else replacement = emit(child);
      out += source.slice(pos, start(child)) + replacement;
      pos = end(child);
    }
    return out + source.slice(pos, end(node));
  };

  return emit(input.expression);
}

/** For `u => X.includes(u)` (one plain parameter, X an identifier other than u): X. */
function listIncludesParam(arg: ESTree.Node): ESTree.Identifier | undefined {
  if (arg.type !== "ArrowFunctionExpression" || arg.params.length !== 1) return undefined;
  const param = arg.params[0];
  if (param?.type !== "Identifier") return undefined;
  const body = unparen(arg.body);
  if (body.type !== "CallExpression" || body.optional || body.arguments.length !== 1) return undefined;
  const callee = unparen(body.callee);
  const only = body.arguments[0];
  if (callee.type !== "MemberExpression" || callee.computed || callee.optional) return undefined;
  if (callee.property.type !== "Identifier" || callee.property.name !== "includes") return undefined;
  if (only?.type !== "Identifier" || only.name !== param.name) return undefined;
  const list = unparen(callee.object);
  if (list.type !== "Identifier" || list.name === param.name) return undefined;
  return list;
}
