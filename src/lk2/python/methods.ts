/**
 * Methods of strings (lower, upper, strip, lstrip, rstrip, startswith, endswith, split, replace,
 * join) and of dates (isoformat, weekday, isoweekday). A method of None is an AttributeError in
 * Python; the JavaScript below throws on null too (a method called on it, or a check).
 */
import type { PyNode, PyNodeOf } from "./ast.ts";
import { type BuiltinContext, PY_SPACE } from "./calls.ts";
import { bind, type Js, js, notNone, Prec, stringLiteral, wrap } from "./emit.ts";
import { refuseAt } from "./refusal.ts";
import { allBmp, describe, itemOf, only, type PyType, T } from "./types.ts";

const STRING_METHODS = new Set([
  "lower",
  "upper",
  "strip",
  "lstrip",
  "rstrip",
  "startswith",
  "endswith",
  "split",
  "replace",
  "join",
]);
const DATE_METHODS = new Set(["isoformat", "weekday", "isoweekday"]);

export function translateMethod(ctx: BuiltinContext, node: PyNodeOf<"call">, func: PyNodeOf<"attr">): Js {
  const receiver = ctx.expr(func.object);
  const { name } = func;
  const refuse = (why: string) => refuseAt(func.at, `.${name}()`, why);
  if (node.keywords.length > 0) return refuse("keyword arguments are outside the subset");
  const present = receiver.type.filter((alt) => alt.kind !== "none");
  if (STRING_METHODS.has(name) && present.length > 0 && only(present, "str")) {
    return stringMethod(ctx, receiver, name, node.args, refuse);
  }
  if (DATE_METHODS.has(name) && present.length > 0 && only(present, "date")) {
    if (node.args.length > 0) return refuse("takes no arguments");
    const date = notNone(receiver, `AttributeError: 'NoneType' object has no attribute '${name}'`);
    if (name === "isoformat") return js(date.code, T.str(true), date.prec, date.simple);
    const day = `new Date(${wrap(date, Prec.Additive)} + "T00:00:00Z").getUTCDay()`;
    return name === "weekday"
      ? js(`(${day} + 6) % 7`, T.int, Prec.Multiplicative)
      : js(`(${day} || 7)`, T.int, Prec.Atom);
  }
  return refuse(`${describe(receiver.type)} has no method .${name}() we translate`);
}

function stringMethod(
  ctx: BuiltinContext,
  receiver: Js,
  name: string,
  argNodes: PyNode[],
  refuse: (why: string) => never,
): Js {
  const text = wrap(receiver, Prec.Postfix);
  const bmp = allBmp(receiver.type);
  const args = argNodes.map((arg) => ctx.expr(arg));
  const strArg = (i: number): Js => {
    const arg = args[i];
    if (!arg) return refuse("an argument is missing");
    if (arg.type.length > 0 && only(arg.type, "str")) return arg;
    if (only(arg.type, "str", "none"))
      return notNone(arg, `TypeError: .${name}() argument must be str, not None`);
    return refuse(`the argument is ${describe(arg.type)}, not a string`);
  };
  const arity = (n: number) => {
    if (args.length !== n) refuse(`.${name}() with ${args.length} arguments is outside the subset`);
  };
  switch (name) {
    case "lower":
    case "upper":
      arity(0);
      return js(`${text}.${name === "lower" ? "toLowerCase" : "toUpperCase"}()`, T.str(bmp), Prec.Postfix);
    case "strip":
    case "lstrip":
    case "rstrip": {
      if (args.length > 1) refuse("takes at most one argument");
      const chars = argNodes[0];
      if (chars && chars.t !== "str") return refuse("only a literal string of characters is translated");
      const set = chars ? `[${[...chars.value].map(escapeForClass).join("")}]` : PY_SPACE;
      if (chars?.value === "") return receiver;
      const left = name !== "rstrip" ? `^${set}+` : "";
      const right = name !== "lstrip" ? `${set}+$` : "";
      const pattern = [left, right].filter(Boolean).join("|");
      return js(`${text}.replace(/${pattern}/gu, "")`, T.str(bmp), Prec.Postfix);
    }
    case "startswith":
    case "endswith": {
      arity(1);
      const method = name === "startswith" ? "startsWith" : "endsWith";
      const prefixNode = argNodes[0] as PyNode;
      if (prefixNode.t === "tuple") {
        const prefixes = prefixNode.items.map((_, i) => i);
        if (!prefixes.every((i) => prefixNode.items[i]?.t === "str"))
          return refuse("a tuple of literal strings only");
        const list = `[${prefixNode.items.map((item) => stringLiteral((item as PyNodeOf<"str">).value)).join(", ")}]`;
        const guarded = notNone(receiver, `AttributeError: 'NoneType' object has no attribute '${name}'`);
        return bind(ctx, guarded, (value) => {
          const p = ctx.next();
          return js(`${list}.some((${p}) => ${value.code}.${method}(${p}))`, T.bool, Prec.Postfix);
        });
      }
      return js(`${text}.${method}(${wrap(strArg(0), Prec.Cond)})`, T.bool, Prec.Postfix);
    }
    case "split": {
      if (args.length === 0) {
        const part = ctx.next();
        return js(
          `${text}.split(/${PY_SPACE}+/u).filter((${part}) => ${part} !== "")`,
          T.list(T.str(bmp)),
          Prec.Postfix,
        );
      }
      arity(1);
      const sep = argNodes[0];
      if (sep?.t !== "str" || sep.value === "")
        return refuse("only a literal, non-empty separator is translated");
      return js(`${text}.split(${stringLiteral(sep.value)})`, T.list(T.str(bmp)), Prec.Postfix);
    }
    case "replace": {
      arity(2);
      const old = strArg(0);
      const replacement = strArg(1);
      // a function replacer: "$&" in the replacement is then plain text, as in Python
      const code = `${text}.replaceAll(${wrap(old, Prec.Cond)}, () => ${wrap(replacement, Prec.Arrow)})`;
      return js(code, T.str(bmp && allBmp(replacement.type)), Prec.Postfix);
    }
    case "join": {
      arity(1);
      const separator = notNone(receiver, "AttributeError: 'NoneType' object has no attribute 'join'");
      const arg = argNodes[0] as PyNode;
      const materialised = arg.t === "comp" ? ctx.materialise(arg) : null;
      const { array, item } = materialised
        ? { array: materialised, item: itemOf(materialised.type) }
        : ctx.iterate(ctx.expr(arg), arg.at);
      if (item.length > 0 && !only(item, "str"))
        return refuse(`join() of ${describe(item)}: a TypeError in Python`);
      const type: PyType = T.str(bmp && allBmp(item));
      return js(`${wrap(array, Prec.Postfix)}.join(${wrap(separator, Prec.Cond)})`, type, Prec.Postfix);
    }
    default:
      return refuse("outside the subset");
  }
}

/** One character inside a character class of a `u` regular expression, escaped unless it is plain. */
function escapeForClass(char: string): string {
  return /^[A-Za-z0-9_ ]$/.test(char) ? char : `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
}
