/**
 * The allow-list walk over one parsed expression: every node type a rule may contain is handled
 * here explicitly, anything else is rejected with a message an admin can act on. Along the way
 * it resolves names (scope.ts: arrow parameters shadow, everything free must be known), counts
 * nodes and nesting (budget.ts), and notes what the expression reads.
 */
import type { ESTree } from "meriyah";
import type { RuleProblem } from "../types.ts";
import { BANNED_PROPERTIES, NEWABLE } from "../vocabulary.ts";
import { SizeBudget } from "./budget.ts";
import { describeType, FORBIDDEN } from "./messages.ts";
import { problemAt } from "./parse.ts";
import { NameResolver } from "./scope.ts";

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

/** Records a problem at a node (the walk keeps the first few). */
export type Report = (node: ESTree.Node | undefined, message: string) => void;

const MAX_PROBLEMS = 20;

/** Walks one expression against the allow-list; see the module comment. */
export function analyzeExpression(root: ESTree.Expression, world: NameWorld): Analysis {
  return new ExpressionWalker(world).walk(root);
}

/**
 * The walk: one method per kind of syntax, with the analysis being built, the names in scope
 * (NameResolver) and the size budget (SizeBudget) that stops it early.
 */
class ExpressionWalker {
  private readonly result: Analysis = {
    problems: [],
    evidence: new Set(),
    rules: new Map(),
    helpers: new Set(),
    readsNow: false,
    free: new Map(),
  };
  private readonly report: Report = (node, message) => {
    if (this.result.problems.length < MAX_PROBLEMS) this.result.problems.push(problemAt(node, message));
  };
  private readonly names: NameResolver;
  private readonly budget = new SizeBudget(this.report);
  /** Default values of arrow parameters, walked once the parameters are in scope. */
  private defaults: Array<[ESTree.Expression, number]> = [];

  constructor(world: NameWorld) {
    this.names = new NameResolver(world, this.result, this.report);
  }

  walk(root: ESTree.Expression): Analysis {
    this.visit(root, 0);
    return this.result;
  }

  private enter(node: ESTree.Node, depth: number): boolean {
    return this.budget.enter(node, depth);
  }

  private checkPropertyName(node: ESTree.Node, name: string) {
    if (BANNED_PROPERTIES.has(name)) this.report(node, `access to "${name}" is not allowed in rules`);
  }

  private visitAll(list: ReadonlyArray<ESTree.Node | null>, depth: number) {
    for (const item of list) if (item) this.visit(item, depth);
  }

  private visit(node: ESTree.Node, depth: number): void {
    if (!this.enter(node, depth)) return;
    const inner = depth + 1;
    const forbidden = FORBIDDEN[node.type];
    if (forbidden) {
      this.report(node, forbidden);
      return;
    }
    switch (node.type) {
      case "Literal":
        if ("bigint" in node) this.report(node, "BigInt literals (123n) are not allowed in rules");
        return;
      case "Identifier":
        this.names.resolve(node);
        return;
      case "TemplateLiteral":
        this.visitAll(node.expressions, inner);
        return;
      case "ParenthesizedExpression":
        this.visit(node.expression, inner);
        return;
      case "ChainExpression":
        this.visit(node.expression, depth);
        return;
      case "ArrayExpression":
        this.visitAll(node.elements, inner);
        return;
      case "SpreadElement":
        this.visit(node.argument, inner);
        return;
      case "ObjectExpression":
        this.visitObject(node, inner);
        return;
      case "UnaryExpression":
        if (node.operator === "delete") this.report(node, "delete is not allowed in rules");
        else this.visit(node.argument, inner);
        return;
      case "BinaryExpression":
      case "LogicalExpression":
        // The left operand continues a chain (a || b || c), which parsers handle iteratively.
        this.visit(node.left, depth);
        this.visit(node.right, inner);
        return;
      case "ConditionalExpression":
        this.visit(node.test, inner);
        this.visit(node.consequent, inner);
        this.visit(node.alternate, inner);
        return;
      case "AssignmentExpression":
        this.report(
          node,
          node.operator === "="
            ? "assignment (=) is not allowed in rules; to compare, use ==="
            : `assignment (${node.operator}) is not allowed in rules`,
        );
        return;
      case "MemberExpression":
        this.visitMember(node, depth);
        return;
      case "CallExpression":
        if (this.names.isFreeNamed(node.callee, "Array")) {
          this.report(node.callee, "Array(…) is not allowed; write a list literal [ … ] or use Array.from");
          this.visitAll(node.arguments, inner);
          return;
        }
        this.visit(node.callee, depth);
        this.visitAll(node.arguments, inner);
        return;
      case "NewExpression":
        this.visitNew(node, inner);
        return;
      case "ArrowFunctionExpression":
        this.visitArrow(node, depth);
        return;
      default:
        this.report(node, `${describeType(node.type)} is not allowed in rules`);
    }
  }

  private visitObject(node: ESTree.ObjectExpression, inner: number) {
    for (const property of node.properties) {
      if (!this.enter(property, inner)) return;
      if (property.type === "SpreadElement") {
        this.visit(property.argument, inner + 1);
        continue;
      }
      if (property.type !== "Property" || property.kind !== "init" || property.method) {
        this.report(property, "methods, getters and setters are not allowed in object literals");
        continue;
      }
      if (property.computed) {
        this.report(property.key, "computed keys are not allowed in object literals");
        continue;
      }
      const key = property.key;
      const keyName = key.type === "Identifier" ? key.name : key.type === "Literal" ? String(key.value) : "";
      if (keyName === "__proto__") this.report(key, 'the key "__proto__" is not allowed in rules');
      this.visit(property.value, inner + 1);
    }
  }

  private visitNew(node: ESTree.NewExpression, inner: number) {
    const callee = node.callee;
    if (callee.type !== "Identifier" || !NEWABLE.has(callee.name) || this.names.isBound(callee.name)) {
      this.report(node, "`new` is only allowed with Date, Set, Map and RegExp");
      return;
    }
    if (callee.name === "Date" && node.arguments.length > 0) this.names.markClockFree(callee);
    this.visit(callee, inner);
    this.visitAll(node.arguments, inner);
  }

  private visitMember(node: ESTree.MemberExpression, depth: number) {
    const { object, property } = node;
    if (object.type === "Super") {
      this.report(object, "super is not allowed in rules");
      return;
    }
    if (property.type === "PrivateIdentifier") {
      this.report(property, "private names are not allowed in rules");
      return;
    }
    const name = staticPropertyName(node);
    if (name !== undefined) {
      this.checkPropertyName(property, name);
      if (name === "random" && this.names.isFreeNamed(object, "Math")) {
        this.report(
          node,
          "Math.random is not available: rules must give the same answer every time; use bucket(salt)",
        );
      }
      if ((name === "parse" || name === "UTC") && this.names.isFreeNamed(object, "Date")) {
        this.names.markClockFree(object);
      }
    }
    this.visit(object, depth);
    if (node.computed) this.visit(property, depth + 1);
  }

  private visitArrow(node: ESTree.ArrowFunctionExpression, depth: number) {
    if (node.async) {
      this.report(node, "async functions are not allowed: rules are synchronous");
      return;
    }
    if (node.body.type === "BlockStatement") {
      this.report(
        node.body,
        "an arrow function in a rule must have an expression body (u => u > 1), not { … }",
      );
      return;
    }
    const bind = new Set<string>();
    const outerDefaults = this.defaults;
    this.defaults = [];
    for (const param of node.params) this.visitPattern(param, depth + 1, bind);
    const defaults = this.defaults;
    this.defaults = outerDefaults;
    this.names.within(bind, () => {
      for (const [expression, at] of defaults) this.visit(expression, at);
      this.visit(node.body, depth + 1);
    });
  }

  /** An arrow function's parameter: the names it binds go into `bind`. */
  private visitPattern(pattern: ESTree.Node, depth: number, bind: Set<string>) {
    if (!this.enter(pattern, depth)) return;
    switch (pattern.type) {
      case "Identifier":
        this.names.bind(pattern, bind);
        return;
      case "AssignmentPattern":
        this.visitPattern(pattern.left, depth + 1, bind);
        if (pattern.right) this.defaults.push([pattern.right, depth + 1]);
        return;
      case "ArrayPattern":
        for (const element of pattern.elements) if (element) this.visitPattern(element, depth + 1, bind);
        return;
      case "RestElement":
        this.visitPattern(pattern.argument, depth + 1, bind);
        return;
      case "ObjectPattern":
        for (const property of pattern.properties) {
          if (property.type === "RestElement") {
            this.visitPattern(property, depth + 1, bind);
            continue;
          }
          if (property.computed) {
            this.report(property, "computed keys are not allowed in rules");
            continue;
          }
          const key = property.key;
          if (key.type === "Identifier") this.checkPropertyName(key, key.name);
          else if (key.type === "Literal") this.checkPropertyName(key, String(key.value));
          this.visitPattern(property.value, depth + 1, bind);
        }
        return;
      default:
        this.report(pattern, `${describeType(pattern.type)} is not allowed as an arrow function parameter`);
    }
  }
}

/** `a.b` and `a["b"]` → "b"; a computed key that is not a string literal → undefined. */
function staticPropertyName(node: ESTree.MemberExpression): string | undefined {
  const { property } = node;
  if (!node.computed && property.type === "Identifier") return property.name;
  if (node.computed && property.type === "Literal" && typeof property.value === "string")
    return property.value;
  return undefined;
}
