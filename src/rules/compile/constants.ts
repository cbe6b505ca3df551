/**
 * The literal lists a rule's code uses, as constants the sandbox builds once. Each list is
 * identified by its content (a hash of its encoding), so identical lists in different rules,
 * and in successive versions of the rule set, are one constant in the sandbox; a rule binds the
 * constants it uses to local names of its own (`$K0`, `$S1`, …), so its compiled code does not
 * depend on any other rule.
 */
import { createHash } from "node:crypto";

/** The value of one element of a hoistable list literal. */
export type ListValue = string | number | boolean | null;

/**
 * How a rule uses a list: the frozen array itself, a Set of its elements (for `includes`), or
 * `(v) => set.has(v)` (for `some`). The sandbox builds each form once per list.
 */
export type ConstantForm = "array" | "set" | "has";

/** [local name in the rule's code, list key, form]. */
export type ConstantBinding = readonly [string, string, ConstantForm];

/** [list key, encoded list] (see encodeList). */
export type ProgramList = readonly [string, string];

/** No comma (the separator), and nothing JSON escapes (so that it travels as it is). */
const PLAIN = /^[^,"\\\p{Cc}]*$/u;
const isPlainString = (value: unknown): boolean => typeof value === "string" && PLAIN.test(value);

/** Whether a value survives encodeList exactly (-0 and non-finite numbers do not). */
export function isEncodable(value: unknown): value is ListValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  return typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0);
}

/**
 * A list as the sandbox receives it (decoded by wasm/runner.js). JSON would do, but a program
 * travels to the sandbox processes as JSON, and a list of strings in JSON is full of quotes to
 * escape: measured, a 200 × 19 KB catalog took ~25 ms per process to send that way and ~5 ms as
 * plain text. So a list of plain strings is "s:" + the strings joined by commas, a list of
 * numbers "n:" + the numbers (String(n) round-trips exactly for finite numbers other than -0),
 * anything else "j:" + JSON.
 */
export function encodeList(values: readonly ListValue[]): string {
  if (values.length > 0 && values.every(isPlainString)) {
    return `s:${values.join(",")}`;
  }
  if (values.length > 0 && values.every((v) => typeof v === "number")) return `n:${values.join(",")}`;
  return `j:${JSON.stringify(values)}`;
}

/** A content key: equal keys mean equal content (128 bits of SHA-256). */
export function contentKey(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

const PREFIX: Readonly<Record<ConstantForm, string>> = { array: "$K", set: "$S", has: "$F" };

/** The constants of one rule: local names for (list, form), each list encoded once. */
export class ConstantPool {
  private readonly names = new Map<string, string>();
  private readonly bound: ConstantBinding[] = [];
  private readonly encoded = new Map<string, string>();

  /** The frozen array of these elements. */
  array(values: readonly ListValue[]): string {
    return this.use(values, "array");
  }

  /** A Set of the same elements (same SameValueZero semantics as Array#includes). */
  set(values: readonly ListValue[]): string {
    return this.use(values, "set");
  }

  /** `(v) => set.has(v)`. */
  hasFunction(values: readonly ListValue[]): string {
    return this.use(values, "has");
  }

  /** What the rule's code binds, in the order the names were made. */
  bindings(): readonly ConstantBinding[] {
    return this.bound;
  }

  /** The lists the bindings refer to. */
  lists(): readonly ProgramList[] {
    return [...this.encoded];
  }

  private use(values: readonly ListValue[], form: ConstantForm): string {
    const encoded = encodeList(values);
    const key = contentKey(encoded);
    this.encoded.set(key, encoded);
    const id = `${form}:${key}`;
    let name = this.names.get(id);
    if (!name) {
      name = `${PREFIX[form]}${this.bound.length}`;
      this.names.set(id, name);
      this.bound.push([name, key, form]);
    }
    return name;
  }
}
