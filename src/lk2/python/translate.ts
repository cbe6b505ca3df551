/**
 * LK2's Python rule expressions → our rule language, keeping Python's meaning. The tree comes from
 * parse.ts; each node becomes JavaScript chosen by the operands' types (types.ts), so that the
 * common rules read as an admin would write them (`roles.includes("cashier")`,
 * `[…].some(u => orgunit_path.includes(u))`) and the rest still means what Python means.
 */

import { arithmetic, negative, positive } from "./arithmetic.ts";
import type { PyNode, PyNodeOf } from "./ast.ts";
import { type BuiltinContext, translateCall } from "./calls.ts";
import { compareLink } from "./compare.ts";
import {
  arrow,
  bind,
  type Js,
  js,
  numberLiteral,
  Prec,
  stringLiteral,
  type Temps,
  truthy,
  wrap,
} from "./emit.ts";
import { refuseAt } from "./refusal.ts";
import { slice, subscript } from "./subscripts.ts";
import { EVIDENCE_TYPES, has, only, T, union } from "./types.ts";

/** What a name that is not evidence or a built-in means: a rule LK2 evaluated before this one. */
export type RuleMeaning =
  | { kind: "rule"; js: string }
  /** LK2 gives false for it (a rule that is not executable): the reference is translated as `false`. */
  | { kind: "false" }
  /** Cannot be referred to (the rule was refused, runs later in LK2, or its name is ambiguous). */
  | { kind: "refused"; reason: string };

export interface PythonWorld {
  rule(name: string): RuleMeaning | undefined;
  /** Names our rules go by: a comprehension variable must not shadow one of them. */
  ruleJsNames: ReadonlySet<string>;
}

export const PYTHON_BUILTINS: ReadonlySet<string> = new Set([
  "any",
  "all",
  "len",
  "int",
  "str",
  "bool",
  "min",
  "max",
  "sum",
  "abs",
  "set",
  "sorted",
  "date",
]);

/** JavaScript words a Python name may be but a parameter may not (or should not) be. */
const JS_UNUSABLE: ReadonlySet<string> = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if implements import in instanceof interface let new null package private protected public return " +
    "static super switch this throw true try typeof var void while with yield await arguments eval undefined NaN " +
    "Infinity Array Boolean Date JSON Map Math Number Object RegExp Set String isFinite isNaN parseFloat parseInt " +
    "encodeURIComponent decodeURIComponent"
  ).split(" "),
);

export class Translator implements Temps, BuiltinContext {
  private readonly scopes: Array<Map<string, Js>> = [];
  private counter = 0;

  constructor(
    private readonly world: PythonWorld,
    /** Prefix of the parameter names we make up; no name in the source starts with it. */
    private readonly tempPrefix: string,
  ) {}

  next(): string {
    return `${this.tempPrefix}${this.counter++}`;
  }

  isBuiltin(name: string): boolean {
    return (
      PYTHON_BUILTINS.has(name) && !this.scopes.some((scope) => scope.has(name)) && !this.world.rule(name)
    );
  }

  /** The whole rule: its value's Python truthiness. */
  rule(node: PyNode): string {
    return truthy(this, this.expr(node)).code;
  }

  /** Runs `body` with a comprehension variable in scope, under a JavaScript-safe name. */
  withVariable<R>(name: string, type: Js["type"], body: (param: string) => R): R {
    const usable =
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) &&
      !JS_UNUSABLE.has(name) &&
      !name.startsWith("__") &&
      !name.startsWith(this.tempPrefix) &&
      !this.world.ruleJsNames.has(name);
    const param = usable ? name : this.next();
    this.scopes.push(new Map([[name, js(param, type, Prec.Atom, true)]]));
    try {
      return body(param);
    } finally {
      this.scopes.pop();
    }
  }

  expr(node: PyNode): Js {
    switch (node.t) {
      case "name":
        return this.name(node);
      case "str":
        return js(stringLiteral(node.value), T.str(!/[\uD800-\uDFFF]/.test(node.value)), Prec.Atom, true);
      case "int":
        return js(numberLiteral(node.value), T.int, node.value < 0 ? Prec.Unary : Prec.Atom, true);
      case "float":
        return js(numberLiteral(node.value), T.float, Prec.Atom, true);
      case "const":
        return js(String(node.value), node.value === null ? T.none : T.bool, Prec.Atom, true);
      case "list":
      case "tuple":
      case "set":
        return this.display(node);
      case "boolop":
        return this.boolop(node);
      case "not":
        return js(`!${wrap(truthy(this, this.expr(node.operand)), Prec.Unary)}`, T.bool, Prec.Unary);
      case "compare":
        return this.compare(node);
      case "binop":
        return arithmetic(this, node.op, this.expr(node.left), this.expr(node.right), node.at);
      case "unary": {
        const operand = this.expr(node.operand);
        if (node.op === "-") return negative(operand, node.at);
        if (node.op === "+") return positive(operand, node.at);
        return refuseAt(node.at, "~ (bitwise not)", "bitwise operators are outside the subset");
      }
      case "ifexp": {
        const test = truthy(this, this.expr(node.test));
        const body = this.expr(node.body);
        const orelse = this.expr(node.orelse);
        const code = `${wrap(test, Prec.Or)} ? ${wrap(body, Prec.Arrow)} : ${wrap(orelse, Prec.Arrow)}`;
        return js(code, union(body.type, orelse.type), Prec.Cond);
      }
      case "call":
        return translateCall(this, node);
      case "attr":
        return this.attribute(node);
      case "index":
        return subscript(this.expr(node.object), this.expr(node.index), node.at);
      case "slice":
        return slice(this, node);
      case "comp":
        return this.comprehensionValue(node);
    }
  }

  private name(node: PyNodeOf<"name">): Js {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const bound = this.scopes[i]?.get(node.id);
      if (bound) return bound;
    }
    const meaning = this.world.rule(node.id);
    if (meaning?.kind === "rule") return js(meaning.js, T.bool, Prec.Atom, true);
    if (meaning?.kind === "false") return js("false", T.bool, Prec.Atom, true);
    if (meaning?.kind === "refused") return refuseAt(node.at, `rule ${node.id}`, meaning.reason);
    const evidence = EVIDENCE_TYPES.get(node.id);
    if (evidence) return js(node.id, evidence, Prec.Atom, true);
    if (PYTHON_BUILTINS.has(node.id)) {
      return refuseAt(
        node.at,
        `${node.id} as a value`,
        `the built-in ${node.id} is translated only when called`,
      );
    }
    return refuseAt(node.at, `name ${node.id}`, `${node.id} is not defined in LK2 (a NameError there)`);
  }

  /**
   * A list, tuple or set display. A set displayed only to test membership (`x in {…}`) is written
   * as a list: the same answer for hashable elements, and our compiler makes it a Set lookup.
   */
  private display(node: PyNodeOf<"list" | "tuple" | "set">, forMembership = false): Js {
    const items = node.items.map((item) => this.expr(item));
    const itemType = union(...items.map((item) => item.type));
    const list = `[${items.map((item) => wrap(item, Prec.Cond)).join(", ")}]`;
    if (node.t === "list") return js(list, T.list(itemType), Prec.Atom);
    if (node.t === "tuple") return js(list, T.tuple(itemType), Prec.Atom);
    if (has(itemType, "list", "tuple", "set"))
      return refuseAt(node.at, "unhashable in a set", "a set of lists is a TypeError");
    if (has(itemType, "bool") && has(itemType, "int", "float")) {
      return refuseAt(node.at, "set of booleans and numbers", "{1, True} has one element in Python");
    }
    if (forMembership) return js(list, T.list(itemType), Prec.Atom);
    return js(`new Set(${list})`, T.set(itemType), Prec.Postfix);
  }

  private boolop(node: PyNodeOf<"boolop">): Js {
    const left = this.expr(node.left);
    const right = this.expr(node.right);
    const type = union(left.type, right.type);
    const op = node.op === "and" ? "&&" : "||";
    const prec = node.op === "and" ? Prec.And : Prec.Or;
    // JavaScript's && and || also return an operand; they agree with Python's whenever the left
    // operand's truthiness does (every scalar). A container on the left is tested explicitly.
    if (only(left.type, "bool", "int", "float", "str", "none", "date", "days")) {
      return js(`${wrap(left, prec)} ${op} ${wrap(right, prec + 1)}`, type, prec);
    }
    return bind(this, left, (value) => {
      const test = wrap(truthy(this, value), Prec.Or);
      const code =
        node.op === "and"
          ? `${test} ? ${wrap(right, Prec.Arrow)} : ${value.code}`
          : `${test} ? ${value.code} : ${wrap(right, Prec.Arrow)}`;
      return js(code, type, Prec.Cond);
    });
  }

  /** A chain `a < b <= c` is `a < b and b <= c`, with b evaluated once. */
  private compare(node: PyNodeOf<"compare">): Js {
    const operands = [node.first, ...node.links.map((link) => link.right)];
    const isConst = (n: PyNode) => n.t === "const";
    const link = (i: number, left: Js, right: Js) => {
      const at = node.links[i] as (typeof node.links)[number];
      return compareLink(
        this,
        at.op,
        left,
        right,
        { left: isConst(operands[i] as PyNode), right: isConst(operands[i + 1] as PyNode) },
        at.at,
      );
    };
    const value = (i: number): Js => {
      const operand = operands[i] as PyNode;
      const op = node.links[i - 1]?.op;
      if ((op === "in" || op === "not in") && operand.t === "set") return this.display(operand, true);
      return this.expr(operand);
    };
    const chain = (i: number, left: Js): Js => {
      const right = value(i + 1);
      if (i === node.links.length - 1) return link(i, left, right);
      return bind(this, right, (middle) => {
        const head = link(i, left, middle);
        const rest = chain(i + 1, middle);
        return js(`${wrap(head, Prec.And)} && ${wrap(rest, Prec.And + 1)}`, T.bool, Prec.And);
      });
    };
    return chain(0, value(0));
  }

  private attribute(node: PyNodeOf<"attr">): Js {
    const object = this.expr(node.object);
    if (node.name === "days" && only(object.type, "days") && object.type.length > 0) {
      return js(object.code, T.int, object.prec, object.simple);
    }
    if (["year", "month", "day"].includes(node.name) && only(object.type, "date", "none")) {
      const [from, to] = node.name === "year" ? [0, 4] : node.name === "month" ? [5, 7] : [8, 10];
      return js(`Number(${wrap(object, Prec.Postfix)}.slice(${from}, ${to}))`, T.int, Prec.Postfix);
    }
    return refuseAt(node.at, `attribute .${node.name}`, `.${node.name} is outside the subset`);
  }

  /** A list or set comprehension as a value (a bare generator is only taken by any(), all(), …). */
  private comprehensionValue(node: PyNodeOf<"comp">): Js {
    if (node.kind === "gen") {
      return refuseAt(
        node.at,
        "generator expression",
        "a generator is translated only as the argument of a built-in",
      );
    }
    const array = this.materialise(node);
    if (node.kind === "list") return array;
    return js(`new Set(${array.code})`, T.set(array.type[0]?.item ?? []), Prec.Postfix);
  }

  /** The elements a comprehension yields, as an array (its conditions and loops as flatMap/filter). */
  materialise(node: PyNodeOf<"comp">): Js {
    let elementType: Js["type"] = [];
    const step = (i: number): Js => {
      const clause = node.clauses[i];
      if (!clause) {
        const element = this.expr(node.element);
        elementType = element.type;
        return js(`[${wrap(element, Prec.Cond)}]`, T.list(element.type), Prec.Atom);
      }
      if (clause.t === "if") {
        const test = truthy(this, this.expr(clause.test));
        const rest = step(i + 1);
        return js(`${wrap(test, Prec.Or)} ? ${wrap(rest, Prec.Arrow)} : []`, rest.type, Prec.Cond);
      }
      const iterable = this.iterate(this.expr(clause.iter), clause.iter.at);
      return this.withVariable(clause.target, iterable.item, (param) => {
        const rest = step(i + 1);
        return js(
          `${wrap(iterable.array, Prec.Postfix)}.flatMap(${arrow(param, rest)})`,
          rest.type,
          Prec.Postfix,
        );
      });
    };
    const code = step(0);
    return js(code.code, T.list(elementType), code.prec);
  }

  /** How to walk a value: an array of its elements (lists as they are, strings by code point). */
  iterate(value: Js, at: number): { array: Js; item: Js["type"] } {
    const item = union(...value.type.map((alt) => (alt.kind === "str" ? T.str(alt.bmp) : (alt.item ?? []))));
    if (only(value.type, "list", "tuple", "none")) return { array: value, item };
    if (only(value.type, "set", "none"))
      return { array: js(`[...${wrap(value, Prec.Postfix)}]`, value.type, Prec.Atom), item };
    if (only(value.type, "list", "tuple", "set", "str", "none")) {
      return { array: js(`Array.from(${wrap(value, Prec.Cond)})`, value.type, Prec.Postfix), item };
    }
    return refuseAt(at, "iterating a non-iterable", "only lists, tuples, sets and strings are iterated");
  }
}
