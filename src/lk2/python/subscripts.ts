/**
 * `x[i]` and `x[a:b]` on lists, tuples and strings. Python counts negative indexes from the end
 * and raises IndexError out of range (JavaScript's `.at()` counts the same way and gives
 * undefined); slices clamp in both languages. Strings not known to be BMP-only are indexed by
 * code point (`Array.from`), as Python does.
 */
import type { PyNode, PyNodeOf } from "./ast.ts";
import { type Js, js, notNone, Prec, raise, type Temps, wrap } from "./emit.ts";
import { refuseAt } from "./refusal.ts";
import { allBmp, describe, has, only, T, union } from "./types.ts";

export interface SubscriptContext extends Temps {
  expr(node: PyNode): Js;
}

const isIndex = (value: Js) => value.type.length > 0 && only(value.type, "int", "bool");

export function subscript(object: Js, index: Js, at: number): Js {
  if (!isIndex(index))
    return refuseAt(at, "index of this type", `an index must be an integer, not ${describe(index.type)}`);
  const outOfRange = raise("IndexError: index out of range").code;
  if (only(object.type, "list", "tuple", "none") && object.type.length > 0) {
    const item = union(...object.type.map((alt) => alt.item ?? []));
    if (has(item, "none"))
      return refuseAt(at, "index into a list holding None", "None elements make IndexError undetectable");
    return js(
      `(${wrap(object, Prec.Postfix)}.at(${wrap(index, Prec.Cond)}) ?? ${outOfRange})`,
      item,
      Prec.Atom,
    );
  }
  if (only(object.type, "str", "none") && object.type.length > 0) {
    const text = allBmp(object.type) ? wrap(object, Prec.Postfix) : `Array.from(${wrap(object, Prec.Cond)})`;
    return js(
      `(${text}.at(${wrap(index, Prec.Cond)}) ?? ${outOfRange})`,
      T.str(allBmp(object.type)),
      Prec.Atom,
    );
  }
  return refuseAt(at, "subscript of this type", `${describe(object.type)}[…] is outside the subset`);
}

export function slice(ctx: SubscriptContext, node: PyNodeOf<"slice">): Js {
  const object = ctx.expr(node.object);
  const bound = (part: PyNode | undefined): Js | undefined => {
    if (!part || (part.t === "const" && part.value === null)) return undefined;
    const value = ctx.expr(part);
    if (!isIndex(value))
      return refuseAt(
        part.at,
        "slice bound of this type",
        `a slice bound must be an integer, not ${describe(value.type)}`,
      );
    return value;
  };
  const lower = bound(node.lower);
  const upper = bound(node.upper);
  const step = node.step && !(node.step.t === "const" && node.step.value === null) ? node.step : undefined;
  const reversed =
    step?.t === "unary" && step.op === "-" && step.operand.t === "int" && step.operand.value === 1;
  if (step && !(step.t === "int" && step.value === 1) && !reversed) {
    return refuseAt(step.at, "slice step", "only steps 1 and -1 are translated");
  }
  if (reversed && (lower || upper))
    return refuseAt(node.at, "reversed slice with bounds", "only x[::-1] is translated");
  const args = lower
    ? upper
      ? `${wrap(lower, Prec.Cond)}, ${wrap(upper, Prec.Cond)}`
      : wrap(lower, Prec.Cond)
    : upper
      ? `0, ${wrap(upper, Prec.Cond)}`
      : "";
  const kinds = object.type.filter((alt) => alt.kind !== "none");
  if (kinds.length > 0 && (only(kinds, "list") || only(kinds, "tuple"))) {
    if (reversed) return js(`[...${wrap(object, Prec.Cond)}].reverse()`, kinds, Prec.Postfix);
    return js(`${wrap(object, Prec.Postfix)}.slice(${args})`, kinds, Prec.Postfix);
  }
  if (kinds.length > 0 && only(kinds, "str")) {
    const bmp = allBmp(kinds);
    const text = notNone(object, "TypeError: 'NoneType' object is not subscriptable");
    if (reversed)
      return js(`Array.from(${wrap(text, Prec.Cond)}).reverse().join("")`, T.str(bmp), Prec.Postfix);
    if (bmp) return js(`${wrap(object, Prec.Postfix)}.slice(${args})`, T.str(true), Prec.Postfix);
    return js(`Array.from(${wrap(text, Prec.Cond)}).slice(${args}).join("")`, T.str(false), Prec.Postfix);
  }
  return refuseAt(node.at, "slice of this type", `${describe(object.type)}[a:b] is outside the subset`);
}
