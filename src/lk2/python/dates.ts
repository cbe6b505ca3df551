/** `date(y, m, d)` and `date.fromisoformat(…)`: a date is held as its checked ISO string. */
import type { PyNode, PyNodeOf } from "./ast.ts";
import type { BuiltinContext } from "./calls.ts";
import { type Js, js, notNone, Prec, raise, wrap } from "./emit.ts";
import { refuseAt } from "./refusal.ts";
import { DATE_EVIDENCE, describe, only, T } from "./types.ts";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text) || text < "0001") return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function dateConstructor(node: PyNodeOf<"call">): Js {
  const parts = node.args.map((arg) => (arg.t === "int" ? arg.value : Number.NaN));
  const [year, month, day] = parts;
  if (
    parts.length !== 3 ||
    year === undefined ||
    month === undefined ||
    day === undefined ||
    parts.some(Number.isNaN)
  ) {
    return refuseAt(
      node.at,
      "date() with these arguments",
      "only date(year, month, day) with literal numbers is translated",
    );
  }
  const text = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (!validIsoDate(text))
    return refuseAt(node.at, "invalid date", `date(${year}, ${month}, ${day}) is a ValueError`);
  return js(JSON.stringify(text), T.date, Prec.Atom, true);
}

/** date.fromisoformat(text): the ISO string itself once it is checked to be a real date. */
export function dateFunction(ctx: BuiltinContext, node: PyNodeOf<"call">, name: string): Js {
  if (name !== "fromisoformat") {
    const hint = name === "today" ? "; LK2's server clock: write date.fromisoformat(today)" : "";
    return refuseAt(node.at, `date.${name}()`, `date.${name} is outside the subset${hint}`);
  }
  if (node.args.length !== 1 || node.keywords.length > 0)
    return refuseAt(node.at, "date.fromisoformat() arguments", "one argument");
  const arg = node.args[0] as PyNode;
  if (arg.t === "str") {
    if (!validIsoDate(arg.value)) {
      return refuseAt(
        arg.at,
        "date literal not YYYY-MM-DD",
        `${JSON.stringify(arg.value)} is not a date we read as Python does`,
      );
    }
    return js(JSON.stringify(arg.value), T.date, Prec.Atom, true);
  }
  const value = ctx.expr(arg);
  if (arg.t === "name" && DATE_EVIDENCE.has(arg.id) && value.code === arg.id) {
    // evidence dates are real dates or null by construction (src/evidence): None is a TypeError
    return js(notNone(value, "TypeError: fromisoformat: argument must be str").code, T.date, Prec.Atom);
  }
  if (value.type.length === 0 || !only(value.type, "str", "none")) {
    return refuseAt(
      arg.at,
      "date.fromisoformat() of this type",
      `fromisoformat(${describe(value.type)}) is a TypeError`,
    );
  }
  const d = ctx.next();
  const invalid = raise("ValueError: Invalid isoformat string").code;
  const check = `/^\\d{4}-\\d{2}-\\d{2}$/.test(${d}) && ${d} >= "0001" && new Date(${d} + "T00:00:00Z").toISOString().slice(0, 10) === ${d}`;
  return js(`((${d}) => ${check} ? ${d} : ${invalid})(${wrap(value, Prec.Cond)})`, T.date, Prec.Postfix);
}
