/**
 * Python's comparisons in JavaScript: `==` (on lists and sets too), ordering, `in` (on lists,
 * tuples, sets and strings), `is None`. Each picks by the operands' types the JavaScript that
 * gives Python's answer, or refuses when the types leave it unsure.
 */
import type { CompareOp } from "./ast.ts";
import { type Js, js, notNone, Prec, raise, type Temps, wrap } from "./emit.ts";
import { refuseAt } from "./refusal.ts";
import { type Alt, describe, has, isContainer, isNumeric, only, type PyType, T } from "./types.ts";

const BOOL: PyType = T.bool;

/** Kinds JavaScript cannot tell apart although Python can (same representation). */
function confusable(a: Alt, b: Alt): boolean {
  const pair = (x: string, y: string) => (a.kind === x && b.kind === y) || (a.kind === y && b.kind === x);
  if (pair("date", "str")) return true;
  if (a.kind === "days" || b.kind === "days")
    return a.kind !== b.kind && (isNumeric(a.kind) || isNumeric(b.kind));
  // True == 1 in Python; true !== 1 in JavaScript
  return (a.kind === "bool") !== (b.kind === "bool") && isNumeric(a.kind) && isNumeric(b.kind);
}

/** `===` (and SameValueZero, as in `includes`/`has`) gives Python's == for these two. */
function strictAgrees(a: Alt, b: Alt): boolean {
  if (confusable(a, b)) return false;
  if (a.kind === b.kind) return !isContainer(a.kind);
  return true; // different kinds that never compare equal in either language
}

/** JSON.stringify equality gives Python's == for these two (lists of lists included). */
function jsonAgrees(a: Alt, b: Alt): boolean {
  if (confusable(a, b)) return false;
  if (a.kind === "set" || b.kind === "set") return false;
  if (isContainer(a.kind) && isContainer(b.kind)) {
    if (a.kind !== b.kind) return false; // [1] == (1,) is False
    return pairs(a.item ?? [], b.item ?? []).every(([x, y]) => jsonAgrees(x, y));
  }
  return true;
}

function pairs(left: PyType, right: PyType): Array<[Alt, Alt]> {
  return left.flatMap((a) => right.map((b): [Alt, Alt] => [a, b]));
}

/** Python `left == right` as a JavaScript boolean. */
export function equals(temps: Temps, left: Js, right: Js, at: number, negate = false): Js {
  const all = pairs(left.type, right.type);
  if (all.every(([a, b]) => strictAgrees(a, b))) {
    return js(
      `${wrap(left, Prec.Equality)} ${negate ? "!==" : "==="} ${wrap(right, Prec.Relational)}`,
      BOOL,
      Prec.Equality,
    );
  }
  const scalar = (type: PyType) => only(type, "bool", "int", "float", "none");
  if (scalar(left.type) && scalar(right.type)) {
    // Among booleans, numbers and null, JavaScript's == converts booleans to numbers, as Python does.
    return js(
      `${wrap(left, Prec.Equality)} ${negate ? "!=" : "=="} ${wrap(right, Prec.Relational)}`,
      BOOL,
      Prec.Equality,
    );
  }
  if (all.every(([a, b]) => jsonAgrees(a, b))) {
    const code = `JSON.stringify(${wrap(left, Prec.Cond)}) ${negate ? "!==" : "==="} JSON.stringify(${wrap(right, Prec.Cond)})`;
    return js(code, BOOL, Prec.Equality);
  }
  if (only(left.type, "set") && only(right.type, "set") && hashableItems(left.type, right.type)) {
    const a = temps.next();
    const b = temps.next();
    const x = temps.next();
    const same = `((${a}, ${b}) => ${a}.size === ${b}.size && [...${a}].every((${x}) => ${b}.has(${x})))(${wrap(left, Prec.Cond)}, ${wrap(right, Prec.Cond)})`;
    return js(negate ? `!${same}` : same, BOOL, negate ? Prec.Unary : Prec.Postfix);
  }
  return refuseAt(
    at,
    "== on these types",
    `${describe(left.type)} == ${describe(right.type)} cannot be compared exactly`,
  );
}

function hashableItems(left: PyType, right: PyType): boolean {
  const items = [...left, ...right].flatMap((alt) => alt.item ?? []);
  return (
    items.every((item) => !isContainer(item.kind)) &&
    pairs(items, items).every(([a, b]) => strictAgrees(a, b) || a.kind === b.kind)
  );
}

const ORDERED: ReadonlyArray<ReadonlyArray<Alt["kind"]>> = [
  ["bool", "int", "float"],
  ["str"],
  ["date"],
  ["days"],
];

/** Python `<`, `<=`, `>`, `>=`: numbers with numbers, strings with strings, dates with dates. */
export function order(left: Js, op: string, right: Js, at: number): Js {
  const a = notNone(left, `TypeError: '${op}' not supported for NoneType`);
  const b = notNone(right, `TypeError: '${op}' not supported for NoneType`);
  const group = ORDERED.find((kinds) => only(a.type, ...kinds) && only(b.type, ...kinds));
  if (!group || a.type.length === 0 || b.type.length === 0) {
    return refuseAt(
      at,
      `${op} on these types`,
      `${describe(left.type)} ${op} ${describe(right.type)} is not an ordering we translate`,
    );
  }
  return js(`${wrap(a, Prec.Relational)} ${op} ${wrap(b, Prec.Additive)}`, BOOL, Prec.Relational);
}

/** Python `needle in container`. `containerIsSetLiteral`: `{…}` written out, checked like a list. */
export function contains(needle: Js, container: Js, at: number, negate: boolean): Js {
  const done = (code: string): Js =>
    negate ? js(`!${code}`, BOOL, Prec.Unary) : js(code, BOOL, Prec.Postfix);
  const box = wrap(container, Prec.Postfix);
  const kinds = container.type.filter((alt) => alt.kind !== "none");
  if (kinds.length === 0) return done(`${box}.includes(${needle.code})`); // None: a TypeError either way
  if (only(kinds, "str")) {
    const text = stringNeedle(needle, at);
    return done(`${box}.includes(${wrap(text, Prec.Cond)})`);
  }
  const items = kinds.flatMap((alt) => alt.item ?? []);
  const sameness = pairs(needle.type, items).every(([a, b]) => strictAgrees(a, b));
  if (!sameness) {
    return refuseAt(
      at,
      "in on these types",
      `${describe(needle.type)} in ${describe(container.type)} cannot be tested exactly`,
    );
  }
  if (only(kinds, "list", "tuple")) return done(`${box}.includes(${wrap(needle, Prec.Cond)})`);
  if (only(kinds, "set")) {
    if (has(needle.type, "list", "tuple", "set"))
      return refuseAt(at, "unhashable in a set", "a list is never in a set (TypeError)");
    return done(`${box}.has(${wrap(needle, Prec.Cond)})`);
  }
  if (only(kinds, "str", "list", "tuple") && only(needle.type, "str")) {
    return done(`${box}.includes(${wrap(needle, Prec.Cond)})`);
  }
  return refuseAt(at, "in on these types", `x in ${describe(container.type)} is outside the subset`);
}

/** The left side of `in <string>` must be a string (Python raises a TypeError otherwise). */
function stringNeedle(needle: Js, at: number): Js {
  const message = "TypeError: 'in <string>' requires string as left operand";
  if (only(needle.type, "str")) return needle;
  if (only(needle.type, "str", "none")) return notNone(needle, message);
  if (!has(needle.type, "str")) return raise(message);
  return refuseAt(at, "in <string> with a non-string", `${describe(needle.type)} in a string`);
}

/** `x is None`, `x is True`, `x is not False`: identity with a singleton. */
export function identity(
  left: Js,
  right: Js,
  leftConst: boolean,
  rightConst: boolean,
  at: number,
  negate: boolean,
): Js {
  if (!leftConst && !rightConst) {
    return refuseAt(at, "is between values", "`is` is translated only against None, True or False");
  }
  return js(
    `${wrap(left, Prec.Equality)} ${negate ? "!==" : "==="} ${wrap(right, Prec.Relational)}`,
    BOOL,
    Prec.Equality,
  );
}

export function compareLink(
  temps: Temps,
  op: CompareOp,
  left: Js,
  right: Js,
  constants: { left: boolean; right: boolean },
  at: number,
): Js {
  switch (op) {
    case "==":
      return equals(temps, left, right, at);
    case "!=":
      return equals(temps, left, right, at, true);
    case "in":
      return contains(left, right, at, false);
    case "not in":
      return contains(left, right, at, true);
    case "is":
      return identity(left, right, constants.left, constants.right, at, false);
    case "is not":
      return identity(left, right, constants.left, constants.right, at, true);
    default:
      return order(left, op, right, at);
  }
}
