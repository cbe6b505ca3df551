/**
 * The allow-list walk over one parsed expression: every node type a rule may contain is handled
 * here explicitly, anything else is rejected with a message an admin can act on. Along the way
 * it resolves names (arrow parameters shadow, everything free must be known), counts nodes and
 * nesting, and notes what the expression reads.
 */
import type { ESTree } from "meriyah";
import { LIMITS } from "../limits.ts";
import type { RuleProblem } from "../types.ts";
import {
  BANNED_PROPERTIES,
  EVIDENCE,
  HELPER_READS,
  isReservedIdentifier,
  NEWABLE,
  SAFE_GLOBALS,
  UNAVAILABLE,
} from "../vocabulary.ts";
import { problemAt } from "./parse.ts";
import { closestName } from "./suggest.ts";

export type NameKind = "evidence" | "rule" | "helper" | "global";

export interface Analysis {
  problems: RuleProblem[];
  /** Evidence variables named directly. */
  evidence: Set<string>;
  /** Other rules referred to, with the first reference (for locating a cycle). */
  rules: Map<string, ESTree.Node>;
  helpers: Set<string>;
  /** `new Date()`, `Date()` or `Date.now()` (or `Date` passed around): the result depends on `now`. */
  readsNow: boolean;
  /** How each free identifier resolved (arrow parameters are not in here). */
  free: Map<ESTree.Identifier, NameKind>;
}

export interface NameWorld {
  isRule(name: string): boolean;
  /** For "did you mean …?" suggestions. */
  ruleNames?: Iterable<string>;
  selfName?: string;
}

const MAX_PROBLEMS = 20;

const FORBIDDEN: Partial<Record<ESTree.Node["type"], string>> = {
  UpdateExpression: "++ and -- are not allowed in rules",
  ThisExpression: "`this` is not allowed in rules",
  FunctionExpression:
    "function expressions are not allowed in rules; use an arrow function such as u => u.length > 0",
  ClassExpression: "classes are not allowed in rules",
  ImportExpression: "import() is not allowed in rules",
  MetaProperty: "import.meta and new.target are not allowed in rules",
  AwaitExpression: "await is not allowed: rules are synchronous",
  YieldExpression: "yield is not allowed in rules",
  SequenceExpression: "the comma operator is not allowed in rules",
  TaggedTemplateExpression: "tagged templates are not allowed in rules",
  Super: "super is not allowed in rules",
};

export function analyzeExpression(root: ESTree.Expression, world: NameWorld): Analysis {
  const result: Analysis = {
    problems: [],
    evidence: new Set(),
    rules: new Map(),
    helpers: new Set(),
    readsNow: false,
    free: new Map(),
  };
  const scopes: Array<Set<string>> = [];
  /** `Date` identifiers used in ways that do not read the clock (new Date(x), Date.parse…). */
  const clockFreeDate = new Set<ESTree.Node>();
  let nodes = 0;
  let stopped = false;
  /** Default values of arrow parameters, walked once the parameters are in scope. */
  let defaults: Array<[ESTree.Expression, number]> = [];

  const report = (node: ESTree.Node | undefined, message: string) => {
    if (result.problems.length < MAX_PROBLEMS) result.problems.push(problemAt(node, message));
  };
  const isBound = (name: string) => scopes.some((scope) => scope.has(name));
  const isFreeNamed = (node: ESTree.Node, name: string): boolean =>
    node.type === "Identifier" && node.name === name && !isBound(name);

  const enter = (node: ESTree.Node, depth: number): boolean => {
    if (stopped) return false;
    nodes += 1;
    if (nodes > LIMITS.maxNodes) {
      report(node, `the expression is too large (more than ${LIMITS.maxNodes} syntax nodes)`);
      stopped = true;
      return false;
    }
    if (depth > LIMITS.maxNesting) {
      report(node, `the expression is nested too deeply (more than ${LIMITS.maxNesting} levels)`);
      stopped = true;
      return false;
    }
    return true;
  };

  const resolve = (id: ESTree.Identifier) => {
    const name = id.name;
    if (isReservedIdentifier(name)) {
      report(id, `names starting with $ or __ are reserved (${name})`);
      return;
    }
    if (isBound(name)) return;
    if (EVIDENCE.has(name)) {
      result.evidence.add(name);
      result.free.set(id, "evidence");
    } else if (name in HELPER_READS) {
      result.helpers.add(name);
      result.free.set(id, "helper");
    } else if (name === world.selfName) {
      report(id, `a rule cannot refer to itself (cycle: ${name} → ${name})`);
    } else if (world.isRule(name)) {
      if (!result.rules.has(name)) result.rules.set(name, id);
      result.free.set(id, "rule");
    } else if (SAFE_GLOBALS.has(name)) {
      result.free.set(id, "global");
      if (name === "Date" && !clockFreeDate.has(id)) result.readsNow = true;
    } else {
      const reason = UNAVAILABLE[name];
      if (reason) {
        report(id, reason);
        return;
      }
      const known = [...EVIDENCE, ...Object.keys(HELPER_READS), ...SAFE_GLOBALS, ...(world.ruleNames ?? [])];
      const guess = closestName(name, known);
      report(
        id,
        `unknown name "${name}": not an evidence variable, rule or helper${guess ? ` (did you mean "${guess}"?)` : ""}`,
      );
    }
  };

  const checkPropertyName = (node: ESTree.Node, name: string) => {
    if (BANNED_PROPERTIES.has(name)) report(node, `access to "${name}" is not allowed in rules`);
  };

  const visitPattern = (pattern: ESTree.Node, depth: number, bind: Set<string>) => {
    if (!enter(pattern, depth)) return;
    switch (pattern.type) {
      case "Identifier":
        if (isReservedIdentifier(pattern.name))
          report(pattern, `names starting with $ or __ are reserved (${pattern.name})`);
        bind.add(pattern.name);
        return;
      case "AssignmentPattern":
        visitPattern(pattern.left, depth + 1, bind);
        if (pattern.right) defaults.push([pattern.right, depth + 1]);
        return;
      case "ArrayPattern":
        for (const element of pattern.elements) if (element) visitPattern(element, depth + 1, bind);
        return;
      case "RestElement":
        visitPattern(pattern.argument, depth + 1, bind);
        return;
      case "ObjectPattern":
        for (const property of pattern.properties) {
          if (property.type === "RestElement") {
            visitPattern(property, depth + 1, bind);
            continue;
          }
          if (property.computed) {
            report(property, "computed keys are not allowed in rules");
            continue;
          }
          const key = property.key;
          if (key.type === "Identifier") checkPropertyName(key, key.name);
          else if (key.type === "Literal") checkPropertyName(key, String(key.value));
          visitPattern(property.value, depth + 1, bind);
        }
        return;
      default:
        report(pattern, `${describeType(pattern.type)} is not allowed as an arrow function parameter`);
    }
  };
  const visitAll = (list: ReadonlyArray<ESTree.Node | null>, depth: number) => {
    for (const item of list) if (item) visit(item, depth);
  };

  const visit = (node: ESTree.Node, depth: number): void => {
    if (!enter(node, depth)) return;
    const inner = depth + 1;
    const forbidden = FORBIDDEN[node.type];
    if (forbidden) {
      report(node, forbidden);
      return;
    }
    switch (node.type) {
      case "Literal":
        if ("bigint" in node) report(node, "BigInt literals (123n) are not allowed in rules");
        return;
      case "Identifier":
        resolve(node);
        return;
      case "TemplateLiteral":
        visitAll(node.expressions, inner);
        return;
      case "ParenthesizedExpression":
        visit(node.expression, inner);
        return;
      case "ChainExpression":
        visit(node.expression, depth);
        return;
      case "ArrayExpression":
        visitAll(node.elements, inner);
        return;
      case "SpreadElement":
        visit(node.argument, inner);
        return;
      case "ObjectExpression":
        for (const property of node.properties) {
          if (!enter(property, inner)) return;
          if (property.type === "SpreadElement") {
            visit(property.argument, inner + 1);
            continue;
          }
          if (property.type !== "Property" || property.kind !== "init" || property.method) {
            report(property, "methods, getters and setters are not allowed in object literals");
            continue;
          }
          if (property.computed) {
            report(property.key, "computed keys are not allowed in object literals");
            continue;
          }
          const key = property.key;
          const keyName =
            key.type === "Identifier" ? key.name : key.type === "Literal" ? String(key.value) : "";
          if (keyName === "__proto__") report(key, 'the key "__proto__" is not allowed in rules');
          visit(property.value, inner + 1);
        }
        return;
      case "UnaryExpression":
        if (node.operator === "delete") report(node, "delete is not allowed in rules");
        else visit(node.argument, inner);
        return;
      case "BinaryExpression":
      case "LogicalExpression":
        // The left operand continues a chain (a || b || c), which parsers handle iteratively.
        visit(node.left, depth);
        visit(node.right, inner);
        return;
      case "ConditionalExpression":
        visit(node.test, inner);
        visit(node.consequent, inner);
        visit(node.alternate, inner);
        return;
      case "AssignmentExpression":
        report(
          node,
          node.operator === "="
            ? "assignment (=) is not allowed in rules; to compare, use ==="
            : `assignment (${node.operator}) is not allowed in rules`,
        );
        return;
      case "MemberExpression":
        visitMember(node, depth);
        return;
      case "CallExpression":
        if (isFreeNamed(node.callee, "Array")) {
          report(node.callee, "Array(…) is not allowed; write a list literal [ … ] or use Array.from");
          visitAll(node.arguments, inner);
          return;
        }
        visit(node.callee, depth);
        visitAll(node.arguments, inner);
        return;
      case "NewExpression": {
        const callee = node.callee;
        if (callee.type !== "Identifier" || !NEWABLE.has(callee.name) || isBound(callee.name)) {
          report(node, "`new` is only allowed with Date, Set, Map and RegExp");
          return;
        }
        if (callee.name === "Date" && node.arguments.length > 0) clockFreeDate.add(callee);
        visit(callee, inner);
        visitAll(node.arguments, inner);
        return;
      }
      case "ArrowFunctionExpression":
        visitArrow(node, depth);
        return;
      default:
        report(node, `${describeType(node.type)} is not allowed in rules`);
    }
  };

  const visitMember = (node: ESTree.MemberExpression, depth: number) => {
    const { object, property } = node;
    if (object.type === "Super") {
      report(object, "super is not allowed in rules");
      return;
    }
    let name: string | undefined;
    if (!node.computed && property.type === "Identifier") name = property.name;
    else if (node.computed && property.type === "Literal" && typeof property.value === "string") {
      name = property.value;
    }
    if (property.type === "PrivateIdentifier") {
      report(property, "private names are not allowed in rules");
      return;
    }
    if (name !== undefined) {
      checkPropertyName(property, name);
      if (name === "random" && isFreeNamed(object, "Math")) {
        report(
          node,
          "Math.random is not available: rules must give the same answer every time; use bucket(salt)",
        );
      }
      if ((name === "parse" || name === "UTC") && isFreeNamed(object, "Date")) clockFreeDate.add(object);
    }
    visit(object, depth);
    if (node.computed) visit(property, depth + 1);
  };

  const visitArrow = (node: ESTree.ArrowFunctionExpression, depth: number) => {
    if (node.async) {
      report(node, "async functions are not allowed: rules are synchronous");
      return;
    }
    if (node.body.type === "BlockStatement") {
      report(node.body, "an arrow function in a rule must have an expression body (u => u > 1), not { … }");
      return;
    }
    const bind = new Set<string>();
    const outerDefaults = defaults;
    defaults = [];
    for (const param of node.params) visitPattern(param, depth + 1, bind);
    scopes.push(bind);
    for (const [expression, at] of defaults) visit(expression, at);
    defaults = outerDefaults;
    visit(node.body, depth + 1);
    scopes.pop();
  };

  visit(root, 0);
  return result;
}

function describeType(type: string): string {
  return type
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/^\w/, (c) => c.toUpperCase());
}
