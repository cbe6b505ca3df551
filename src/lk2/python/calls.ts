/**
 * Calls: the built-ins LK2 gives its rules (any all len int str bool min max sum abs set sorted,
 * and date), and methods of strings and dates. Each is translated by its argument's type.
 */
import type { PyNode, PyNodeOf } from "./ast.ts";
import { dateConstructor, dateFunction } from "./dates.ts";
import { type Js, js, notNone, Prec, raise, type Temps, toBoolean, truthy, wrap } from "./emit.ts";
import { translateMethod } from "./methods.ts";
import { refuseAt } from "./refusal.ts";
import { DIGIT_EVIDENCE, describe, has, isContainer, only, type PyType, T } from "./types.ts";

export interface BuiltinContext extends Temps {
  expr(node: PyNode): Js;
  withVariable<R>(name: string, type: PyType, body: (param: string) => R): R;
  iterate(value: Js, at: number): { array: Js; item: PyType };
  materialise(node: PyNodeOf<"comp">): Js;
  /** The name is LK2's built-in here (not a comprehension variable or a rule). */
  isBuiltin(name: string): boolean;
}

/** Python's whitespace (str.isspace), as a regular-expression class: JavaScript's \s differs. */
export const PY_SPACE =
  "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";

export function translateCall(ctx: BuiltinContext, node: PyNodeOf<"call">): Js {
  const { func } = node;
  if (func.t === "attr") {
    if (func.object.t === "name" && func.object.id === "date" && ctx.isBuiltin("date"))
      return dateFunction(ctx, node, func.name);
    return translateMethod(ctx, node, func);
  }
  if (func.t !== "name" || !ctx.isBuiltin(func.id)) {
    return refuseAt(node.at, "call", "only LK2's built-ins and string methods can be called");
  }
  const keyword = node.keywords.find((kw) => !(func.id === "sorted" && kw.name === "reverse"));
  if (keyword)
    return refuseAt(
      keyword.at,
      `keyword argument ${keyword.name}=`,
      `${func.id}(${keyword.name}=…) is outside the subset`,
    );
  const arity = (min: number, max: number) => {
    if (node.args.length < min || node.args.length > max) {
      refuseAt(
        node.at,
        `${func.id}() with ${node.args.length} arguments`,
        "a TypeError in Python, or outside the subset",
      );
    }
  };
  const first = () => node.args[0] as PyNode;
  switch (func.id) {
    case "any":
    case "all":
      arity(1, 1);
      return quantifier(ctx, func.id, first());
    case "len":
      arity(1, 1);
      return length(ctx, first());
    case "int":
      arity(0, 1);
      return node.args.length === 0 ? js("0", T.int, Prec.Atom, true) : toInt(ctx, first());
    case "str":
      arity(0, 1);
      return node.args.length === 0
        ? js('""', T.str(true), Prec.Atom, true)
        : toStr(ctx.expr(first()), node.at);
    case "bool":
      arity(0, 1);
      return node.args.length === 0
        ? js("false", T.bool, Prec.Atom, true)
        : toBoolean(ctx, ctx.expr(first()));
    case "min":
    case "max":
      arity(1, 64);
      return extreme(ctx, func.id, node);
    case "sum":
      arity(1, 2);
      return sum(ctx, node);
    case "abs": {
      arity(1, 1);
      const value = notNone(ctx.expr(first()), "TypeError: bad operand type for abs(): 'NoneType'");
      if (!numeric(value.type)) return refuseAt(node.at, "abs() of this type", describe(value.type));
      return js(
        `Math.abs(${wrap(value, Prec.Cond)})`,
        has(value.type, "float") ? T.float : T.int,
        Prec.Postfix,
      );
    }
    case "sorted":
      arity(1, 1);
      return sorted(ctx, node);
    case "set":
      arity(0, 1);
      return node.args.length === 0 ? js("new Set()", T.set([]), Prec.Postfix) : toSet(ctx, first());
    case "date":
      return dateConstructor(node);
    default:
      return refuseAt(node.at, `${func.id}()`, "not one of LK2's built-ins");
  }
}

const numeric = (type: PyType) => type.length > 0 && only(type, "bool", "int", "float");

/** The elements of an argument: a comprehension materialised, anything else iterated. */
function elements(ctx: BuiltinContext, arg: PyNode): { array: Js; item: PyType } {
  if (arg.t === "comp") {
    const array = ctx.materialise(arg);
    return { array, item: array.type[0]?.item ?? [] };
  }
  return ctx.iterate(ctx.expr(arg), arg.at);
}

/** any()/all(): over a generator they stop at the first decisive element, as Python does. */
function quantifier(ctx: BuiltinContext, which: "any" | "all", arg: PyNode): Js {
  const method = which === "any" ? "some" : "every";
  if (arg.t === "comp" && arg.kind === "gen") {
    const step = (i: number): Js => {
      const clause = arg.clauses[i];
      if (!clause) return truthy(ctx, ctx.expr(arg.element));
      if (clause.t === "if") {
        const test = truthy(ctx, ctx.expr(clause.test));
        const rest = step(i + 1);
        return which === "any"
          ? js(`${wrap(test, Prec.And)} && ${wrap(rest, Prec.And + 1)}`, T.bool, Prec.And)
          : js(`!${wrap(test, Prec.Unary)} || ${wrap(rest, Prec.Or + 1)}`, T.bool, Prec.Or);
      }
      const { array, item } = ctx.iterate(ctx.expr(clause.iter), clause.iter.at);
      return ctx.withVariable(clause.target, item, (param) => {
        const rest = step(i + 1);
        return js(
          `${wrap(array, Prec.Postfix)}.${method}((${param}) => ${wrap(rest, Prec.Arrow)})`,
          T.bool,
          Prec.Postfix,
        );
      });
    };
    return step(0);
  }
  const { array, item } = elements(ctx, arg);
  const param = ctx.next();
  const test = truthy(ctx, js(param, item, Prec.Atom, true));
  return js(
    `${wrap(array, Prec.Postfix)}.${method}((${param}) => ${wrap(test, Prec.Arrow)})`,
    T.bool,
    Prec.Postfix,
  );
}

function length(ctx: BuiltinContext, arg: PyNode): Js {
  if (arg.t === "comp") {
    if (arg.kind === "gen") return refuseAt(arg.at, "len() of a generator", "a TypeError in Python");
    const array = ctx.materialise(arg);
    const code = arg.kind === "set" ? `new Set(${array.code}).size` : `${wrap(array, Prec.Postfix)}.length`;
    return js(code, T.int, Prec.Postfix);
  }
  const value = ctx.expr(arg);
  const { type } = value;
  if (type.length > 0 && only(type, "list", "tuple", "none"))
    return js(`${wrap(value, Prec.Postfix)}.length`, T.int, Prec.Postfix);
  if (type.length > 0 && only(type, "set", "none"))
    return js(`${wrap(value, Prec.Postfix)}.size`, T.int, Prec.Postfix);
  const bmpText =
    type.length > 0 && only(type, "str", "none") && type.every((alt) => alt.kind !== "str" || alt.bmp);
  if (bmpText) return js(`${wrap(value, Prec.Postfix)}.length`, T.int, Prec.Postfix);
  if (type.length > 0 && only(type, "list", "tuple", "set", "str", "none")) {
    return js(`Array.from(${wrap(value, Prec.Cond)}).length`, T.int, Prec.Postfix);
  }
  return refuseAt(arg.at, "len() of this type", `len(${describe(type)}) is a TypeError in Python`);
}

/** int(x): of a string, as Python reads it (spaces, sign, leading zeros, 1_000), or ValueError. */
function toInt(ctx: BuiltinContext, arg: PyNode): Js {
  const value = ctx.expr(arg);
  const { type } = value;
  if (arg.t === "name" && DIGIT_EVIDENCE.has(arg.id) && value.code === arg.id) {
    return js(`Number(${value.code})`, T.int, Prec.Postfix);
  }
  if (type.length > 0 && only(type, "int")) return value;
  if (type.length > 0 && only(type, "int", "bool"))
    return js(`Number(${wrap(value, Prec.Cond)})`, T.int, Prec.Postfix);
  if (type.length > 0 && only(type, "float"))
    return js(`Math.trunc(${wrap(value, Prec.Cond)})`, T.int, Prec.Postfix);
  if (type.length > 0 && only(type, "str", "none")) {
    const match = ctx.next();
    const pattern = `/^${PY_SPACE}*([+-]?[0-9]+(?:_[0-9]+)*)${PY_SPACE}*$/`;
    const invalid = raise("ValueError: invalid literal for int() with base 10").code;
    const code = `((${match}) => ${match} ? Number(${match}[1].replaceAll("_", "")) : ${invalid})(${pattern}.exec(${wrap(value, Prec.Cond)}))`;
    return js(code, T.int, Prec.Postfix);
  }
  return refuseAt(arg.at, "int() of this type", `int(${describe(type)}) is outside the subset`);
}

export function toStr(value: Js, at: number): Js {
  const { type } = value;
  const done = (code: string, prec: number) => js(code, T.str(true), prec);
  if (type.length === 0) return value;
  if (only(type, "str")) return value;
  if (only(type, "date")) return js(value.code, T.str(true), value.prec, value.simple);
  if (only(type, "int")) return done(`String(${wrap(value, Prec.Cond)})`, Prec.Postfix);
  if (only(type, "bool")) return done(`(${wrap(value, Prec.Or)} ? "True" : "False")`, Prec.Atom);
  if (only(type, "none")) return done('"None"', Prec.Atom);
  if (only(type, "str", "date", "none"))
    return js(
      `(${wrap(value, Prec.Or + 1)} ?? "None")`,
      T.str(type.every((alt) => alt.kind !== "str" || alt.bmp)),
      Prec.Atom,
    );
  if (only(type, "int", "none")) return done(`String(${wrap(value, Prec.Or + 1)} ?? "None")`, Prec.Postfix);
  return refuseAt(at, "str() of this type", `str(${describe(type)}) reads differently in JavaScript`);
}

/** min()/max() of several values or of one iterable; the first extreme wins ties, as in Python. */
function extreme(ctx: BuiltinContext, which: "min" | "max", node: PyNodeOf<"call">): Js {
  const better = which === "min" ? "<" : ">";
  let array: Js;
  let item: PyType;
  if (node.args.length === 1) {
    ({ array, item } = elements(ctx, node.args[0] as PyNode));
  } else {
    const values = node.args.map((arg) =>
      notNone(ctx.expr(arg), `TypeError: '${better}' not supported for NoneType`),
    );
    item = values.flatMap((value) => value.type);
    array = js(`[${values.map((value) => wrap(value, Prec.Cond)).join(", ")}]`, T.list(item), Prec.Atom);
  }
  const group = [["int", "float"], ["str"], ["date"]].find(
    (kinds) => item.length > 0 && only(item, ...(kinds as never[])),
  );
  if (!group)
    return refuseAt(
      node.at,
      `${which}() of this type`,
      `${which} over ${describe(item)} is outside the subset`,
    );
  if (group[0] === "int" && node.args.length > 1) {
    // equal numbers are indistinguishable, so which of them wins a tie does not matter
    const values = array.code.slice(1, -1);
    return js(`Math.${which}(${values})`, has(item, "float") ? T.float : T.int, Prec.Postfix);
  }
  const a = ctx.next();
  const b = ctx.next();
  const code = `${wrap(array, Prec.Postfix)}.reduce((${a}, ${b}) => ${b} ${better} ${a} ? ${b} : ${a})`;
  const type =
    group[0] === "int"
      ? has(item, "float")
        ? T.float
        : T.int
      : group[0] === "str"
        ? T.str(item.every((alt) => alt.bmp))
        : T.date;
  return js(code, type, Prec.Postfix);
}

function sum(ctx: BuiltinContext, node: PyNodeOf<"call">): Js {
  const { array, item } = elements(ctx, node.args[0] as PyNode);
  // Python 3.12 sums floats with compensation; only integers are summed here.
  if (item.length > 0 && !only(item, "int", "bool"))
    return refuseAt(node.at, "sum() of this type", `sum over ${describe(item)}`);
  const start = node.args[1]
    ? notNone(ctx.expr(node.args[1]), "TypeError: sum() start is None")
    : js("0", T.int, Prec.Atom);
  if (!only(start.type, "int", "bool"))
    return refuseAt(node.at, "sum() with this start", describe(start.type));
  const a = ctx.next();
  const b = ctx.next();
  return js(
    `${wrap(array, Prec.Postfix)}.reduce((${a}, ${b}) => ${a} + ${b}, ${wrap(start, Prec.Cond)})`,
    T.int,
    Prec.Postfix,
  );
}

function sorted(ctx: BuiltinContext, node: PyNodeOf<"call">): Js {
  const { array, item } = elements(ctx, node.args[0] as PyNode);
  const reverse = node.keywords[0];
  if (reverse && !(reverse.value.t === "const" && typeof reverse.value.value === "boolean")) {
    return refuseAt(
      reverse.at,
      "sorted(reverse=…) not a constant",
      "only reverse=True or reverse=False is translated",
    );
  }
  const flip = reverse?.value.t === "const" && reverse.value.value === true ? ".reverse()" : "";
  const copy = `[...${wrap(array, Prec.Cond)}]`;
  if (only(item, "int", "float", "bool")) {
    const a = ctx.next();
    const b = ctx.next();
    return js(`${copy}.sort((${a}, ${b}) => ${a} - ${b})${flip}`, T.list(item), Prec.Postfix);
  }
  // the default sort compares strings by UTF-16 code units, which orders BMP text as Python does
  if (only(item, "str") || only(item, "date")) return js(`${copy}.sort()${flip}`, T.list(item), Prec.Postfix);
  return refuseAt(node.at, "sorted() of this type", `sorted over ${describe(item)} is outside the subset`);
}

function toSet(ctx: BuiltinContext, arg: PyNode): Js {
  const { array, item } = elements(ctx, arg);
  if (item.some((alt) => isContainer(alt.kind)))
    return refuseAt(arg.at, "unhashable in a set", "a set of lists is a TypeError");
  if (has(item, "bool") && has(item, "int", "float")) {
    return refuseAt(arg.at, "set of booleans and numbers", "{1, True} has one element in Python");
  }
  return js(`new Set(${wrap(array, Prec.Cond)})`, T.set(item), Prec.Postfix);
}
