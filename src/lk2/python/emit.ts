/**
 * Building JavaScript text: a translated value is its code, its Python type and its JavaScript
 * precedence (so parentheses are added only where needed: long `a || b || c` chains stay flat and
 * within the rule check's nesting limit). Everything emitted is in the rule language's
 * allow-list (docs/rules.md): where Python raises, the code reads a property of `null`, which
 * throws a TypeError, and a rule that throws is false in our engine, as in LK2.
 */
import { only, type PyType } from "./types.ts";

/** JavaScript's operator precedence, as far as the translation uses it (higher binds tighter). */
export const Prec = {
  Arrow: 1,
  Cond: 2,
  Or: 3,
  And: 4,
  Equality: 7,
  Relational: 8,
  Additive: 10,
  Multiplicative: 11,
  Exponent: 12,
  Unary: 13,
  Postfix: 15,
  Atom: 16,
} as const;
export type Prec = number;

export interface Js {
  code: string;
  type: PyType;
  prec: Prec;
  /** A name or a literal: safe and cheap to write twice. */
  simple?: boolean;
}

export const js = (code: string, type: PyType, prec: Prec, simple = false): Js => ({
  code,
  type,
  prec,
  simple,
});

/** The code of `value`, parenthesised when its precedence is below `min`. */
export function wrap(value: Js, min: Prec): string {
  return value.prec < min ? `(${value.code})` : value.code;
}

/** A left-associative binary operator of precedence `prec`. */
export function binary(left: Js, op: string, right: Js, prec: Prec, type: PyType): Js {
  return js(`${wrap(left, prec)} ${op} ${wrap(right, prec + 1)}`, type, prec);
}

/** A JavaScript string literal: JSON, with invisible format characters escaped (the rule check refuses them raw). */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(
    /[\p{Cf}\u2028\u2029]/gu,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

export function numberLiteral(value: number): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

/** Code that throws, standing for a Python exception (its text says which). */
export function raise(message: string): Js {
  return js(`null[${stringLiteral(message)}]`, [], Prec.Postfix);
}

/** Fresh parameter names for the arrow functions the translation introduces. */
export interface Temps {
  next(): string;
}

/**
 * `use(value)` with value evaluated once: directly when it is simple, else through an arrow
 * function called on the spot, `((t) => …)(value)`. Rules have no side effects, so only the
 * cost of evaluating twice is saved; the order of evaluation does not matter to the result.
 */
export function bind(temps: Temps, value: Js, use: (bound: Js) => Js): Js {
  if (value.simple) return use(value);
  const name = temps.next();
  const body = use(js(name, value.type, Prec.Atom, true));
  return js(`((${name}) => ${wrap(body, Prec.Arrow)})(${wrap(value, Prec.Cond)})`, body.type, Prec.Postfix);
}

export function bind2(temps: Temps, a: Js, b: Js, use: (a: Js, b: Js) => Js): Js {
  return bind(temps, a, (boundA) => bind(temps, b, (boundB) => use(boundA, boundB)));
}

/** `value`, or a TypeError when it is None (Python refuses None where a value is needed). */
export function notNone(value: Js, message: string): Js {
  if (!value.type.some((alt) => alt.kind === "none")) return value;
  const type = value.type.filter((alt) => alt.kind !== "none");
  return js(`(${wrap(value, Prec.Or + 1)} ?? ${raise(message).code})`, type, Prec.Atom);
}

/**
 * Code whose JavaScript truthiness is the value's Python truthiness. Scalars agree already
 * (0, "", None are false in both; a date is never empty; a zero timedelta is 0); an empty list
 * or set is true in JavaScript, so containers are asked for their length or size; a value that
 * may be either is asked generically: `v?.length ?? v?.size ?? v`.
 */
export function truthy(temps: Temps, value: Js): Js {
  const { type } = value;
  if (only(type, "bool", "int", "float", "str", "none", "date", "days")) return value;
  const maybeNone = type.some((alt) => alt.kind === "none");
  const dot = maybeNone ? "?." : ".";
  if (only(type, "list", "tuple", "none")) {
    return js(`${wrap(value, Prec.Postfix)}${dot}length > 0`, [{ kind: "bool" }], Prec.Relational);
  }
  if (only(type, "set", "none")) {
    return js(`${wrap(value, Prec.Postfix)}${dot}size > 0`, [{ kind: "bool" }], Prec.Relational);
  }
  return bind(temps, value, (v) =>
    js(`(${v.code}?.length ?? ${v.code}?.size ?? ${v.code})`, type, Prec.Atom),
  );
}

/** A JavaScript boolean equal to Python's bool(value). */
export function toBoolean(temps: Temps, value: Js): Js {
  if (only(value.type, "bool") && value.type.length > 0) return value;
  const test = truthy(temps, value);
  if (only(test.type, "bool") && test.type.length > 0) return test;
  return js(`Boolean(${wrap(test, Prec.Cond)})`, [{ kind: "bool" }], Prec.Postfix);
}

/** An arrow function `(param) => body`, as an argument. */
export function arrow(param: string, body: Js): string {
  return `(${param}) => ${wrap(body, Prec.Arrow)}`;
}
