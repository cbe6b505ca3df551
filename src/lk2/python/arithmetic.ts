/**
 * Python's arithmetic on the types rules meet: numbers (booleans count as 0 and 1, as in Python),
 * string and list concatenation, date differences in days, and set intersection, union and
 * difference. Division by zero raises, `%` and `//` round towards minus infinity as in Python.
 */
import type { BinaryOp } from "./ast.ts";
import { binary, bind, bind2, type Js, js, notNone, Prec, raise, type Temps, wrap } from "./emit.ts";
import { refuseAt } from "./refusal.ts";
import { allBmp, describe, has, only, type PyType, T, union } from "./types.ts";

const numeric = (type: PyType) => type.length > 0 && only(type, "bool", "int", "float");
const numberType = (a: PyType, b: PyType): PyType => (has(a, "float") || has(b, "float") ? T.float : T.int);

export function arithmetic(temps: Temps, op: BinaryOp, leftIn: Js, rightIn: Js, at: number): Js {
  const noneMessage = `TypeError: unsupported operand type(s) for ${op}: 'NoneType'`;
  const left = notNone(leftIn, noneMessage);
  const right = notNone(rightIn, noneMessage);
  const refuse = () =>
    refuseAt(
      at,
      `${op} on these types`,
      `${describe(leftIn.type)} ${op} ${describe(rightIn.type)} is outside the subset`,
    );

  if (numeric(left.type) && numeric(right.type)) {
    const type = numberType(left.type, right.type);
    switch (op) {
      case "+":
        return binary(left, "+", right, Prec.Additive, type);
      case "-":
        return binary(left, "-", right, Prec.Additive, type);
      case "*":
        return binary(left, "*", right, Prec.Multiplicative, type);
      case "/":
        return divide(temps, left, right, (a, b) =>
          js(`${wrap(a, Prec.Multiplicative)} / ${wrap(b, Prec.Exponent)}`, T.float, Prec.Multiplicative),
        );
      case "//":
        return divide(temps, left, right, (a, b) =>
          js(`Math.floor(${wrap(a, Prec.Multiplicative)} / ${wrap(b, Prec.Exponent)})`, type, Prec.Postfix),
        );
      case "%":
        // Python's remainder takes the divisor's sign: ((a % b) + b) % b
        return divide(temps, left, right, (a, b) =>
          js(
            `(${wrap(a, Prec.Multiplicative)} % ${wrap(b, Prec.Exponent)} + ${wrap(b, Prec.Multiplicative)}) % ${wrap(b, Prec.Exponent)}`,
            type,
            Prec.Multiplicative,
          ),
        );
      case "**":
        if (rightIn.code.match(/^\d+$/) && only(right.type, "int")) {
          return js(`${wrap(left, Prec.Postfix)} ** ${wrap(right, Prec.Exponent)}`, type, Prec.Exponent);
        }
        return refuseAt(
          at,
          "** with this exponent",
          "only a literal non-negative integer exponent is translated",
        );
      default:
        return refuse();
    }
  }
  if (
    op === "+" &&
    only(left.type, "str") &&
    only(right.type, "str") &&
    left.type.length &&
    right.type.length
  ) {
    return binary(left, "+", right, Prec.Additive, T.str(allBmp(left.type) && allBmp(right.type)));
  }
  if (op === "+" && sameSequence(leftIn.type, rightIn.type)) {
    // spreading None throws, as Python's None + [] does
    const code = `[...${wrap(leftIn, Prec.Cond)}, ...${wrap(rightIn, Prec.Cond)}]`;
    return js(code, union(withoutNone(leftIn.type), withoutNone(rightIn.type)), Prec.Atom);
  }
  if (
    op === "-" &&
    only(left.type, "date") &&
    only(right.type, "date") &&
    left.type.length &&
    right.type.length
  ) {
    return js(
      `(Date.parse(${wrap(left, Prec.Cond)}) - Date.parse(${wrap(right, Prec.Cond)})) / 86400000`,
      T.days,
      Prec.Multiplicative,
    );
  }
  if (
    ["&", "|", "-"].includes(op) &&
    only(left.type, "set") &&
    only(right.type, "set") &&
    left.type.length &&
    right.type.length
  ) {
    return setOperation(temps, op, left, right);
  }
  return refuse();
}

const withoutNone = (type: PyType) => type.filter((alt) => alt.kind !== "none");

function sameSequence(a: PyType, b: PyType): boolean {
  const kinds = (type: PyType) => new Set(withoutNone(type).map((alt) => alt.kind));
  const ka = kinds(a);
  const kb = kinds(b);
  return ka.size === 1 && kb.size === 1 && [...ka][0] === [...kb][0] && (ka.has("list") || ka.has("tuple"));
}

function divide(temps: Temps, left: Js, right: Js, make: (a: Js, b: Js) => Js): Js {
  // a literal divisor other than 0 needs no check
  if (/^[0-9.e+]+$/.test(right.code) && Number(right.code) !== 0) return make(left, right);
  return bind(temps, right, (divisor) => {
    const result = make(left, divisor);
    const zero = raise("ZeroDivisionError: division by zero");
    return js(
      `${wrap(divisor, Prec.Equality)} == 0 ? ${zero.code} : ${wrap(result, Prec.Arrow)}`,
      result.type,
      Prec.Cond,
    );
  });
}

function setOperation(temps: Temps, op: string, left: Js, right: Js): Js {
  const type = union(left.type, right.type);
  if (op === "|")
    return js(`new Set([...${wrap(left, Prec.Cond)}, ...${wrap(right, Prec.Cond)}])`, type, Prec.Postfix);
  return bind2(temps, left, right, (a, b) => {
    const x = temps.next();
    const test = op === "&" ? `${b.code}.has(${x})` : `!${b.code}.has(${x})`;
    return js(
      `new Set([...${a.code}].filter((${x}) => ${test}))`,
      op === "&" ? left.type : left.type,
      Prec.Postfix,
    );
  });
}

export function negative(operand: Js, at: number): Js {
  const value = notNone(operand, "TypeError: bad operand type for unary -: 'NoneType'");
  if (!numeric(value.type)) return refuseAt(at, "unary - on this type", `-${describe(operand.type)}`);
  const type = has(value.type, "float") ? T.float : T.int;
  return js(`-${wrap(value, Prec.Postfix)}`, type, Prec.Unary);
}

export function positive(operand: Js, at: number): Js {
  const value = notNone(operand, "TypeError: bad operand type for unary +: 'NoneType'");
  if (!numeric(value.type)) return refuseAt(at, "unary + on this type", `+${describe(operand.type)}`);
  const type = has(value.type, "float") ? T.float : T.int;
  return js(`+${wrap(value, Prec.Postfix)}`, type, Prec.Unary);
}
