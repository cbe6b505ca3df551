/**
 * What a Python value can be, as far as the translator can tell before it runs. Rules read
 * evidence of known types, so nearly every expression has a known type; where Python and
 * JavaScript differ (truthiness of lists, `==` on lists, `in` on strings) the type picks the
 * JavaScript that means the same, and where it cannot tell, the rule is refused.
 *
 * A type is a union of alternatives. `date` is held as its ISO string "YYYY-MM-DD" (validated
 * where it is made); `days` is a timedelta held as its number of days. `bmp`: the string is known
 * to have no character outside the Basic Multilingual Plane, so UTF-16 length, indexing and
 * slicing agree with Python's code points.
 */
import { z } from "zod";
import { EVIDENCE_VARIABLES, EvidenceSchema } from "../../evidence/index.ts";

export type Kind = "bool" | "int" | "float" | "str" | "none" | "list" | "tuple" | "set" | "date" | "days";

export interface Alt {
  readonly kind: Kind;
  /** Elements of a list, tuple or set. */
  readonly item?: PyType;
  readonly bmp?: boolean;
}

export type PyType = readonly Alt[];

export const T = {
  bool: [{ kind: "bool" }] as PyType,
  int: [{ kind: "int" }] as PyType,
  float: [{ kind: "float" }] as PyType,
  none: [{ kind: "none" }] as PyType,
  date: [{ kind: "date" }] as PyType,
  days: [{ kind: "days" }] as PyType,
  never: [] as PyType,
  str: (bmp = false): PyType => [{ kind: "str", bmp }],
  list: (item: PyType): PyType => [{ kind: "list", item }],
  tuple: (item: PyType): PyType => [{ kind: "tuple", item }],
  set: (item: PyType): PyType => [{ kind: "set", item }],
};

const CONTAINERS: ReadonlySet<Kind> = new Set(["list", "tuple", "set"]);
const NUMERIC: ReadonlySet<Kind> = new Set(["bool", "int", "float"]);

export const isContainer = (kind: Kind) => CONTAINERS.has(kind);
export const isNumeric = (kind: Kind) => NUMERIC.has(kind);

export function union(...types: PyType[]): PyType {
  const out: Alt[] = [];
  for (const type of types) {
    for (const alt of type) {
      const i = out.findIndex((seen) => seen.kind === alt.kind);
      const seen = out[i];
      if (!seen) out.push(alt);
      else out[i] = mergeAlt(seen, alt);
    }
  }
  return out;
}

function mergeAlt(a: Alt, b: Alt): Alt {
  if (a.kind === "str") return { kind: "str", bmp: Boolean(a.bmp && b.bmp) };
  if (a.item || b.item) return { kind: a.kind, item: union(a.item ?? [], b.item ?? []) };
  return a;
}

export const kindsOf = (type: PyType): Set<Kind> => new Set(type.map((alt) => alt.kind));

/** Every alternative is one of these kinds (true for the empty type). */
export const only = (type: PyType, ...kinds: Kind[]) => type.every((alt) => kinds.includes(alt.kind));

export const has = (type: PyType, ...kinds: Kind[]) => type.some((alt) => kinds.includes(alt.kind));

export const withoutNone = (type: PyType): PyType => type.filter((alt) => alt.kind !== "none");

/** The type of the elements one gets by iterating a value of this type (strings give strings). */
export function itemOf(type: PyType): PyType {
  return union(
    ...type.map((alt) =>
      alt.kind === "str" ? T.str(alt.bmp) : isContainer(alt.kind) ? (alt.item ?? []) : [],
    ),
  );
}

/** All strings here are known BMP-only. */
export const allBmp = (type: PyType) => type.every((alt) => alt.kind !== "str" || alt.bmp === true);

export function describe(type: PyType): string {
  if (type.length === 0) return "nothing";
  return type
    .map((alt) => {
      const name = alt.kind === "none" ? "None" : alt.kind === "days" ? "timedelta" : alt.kind;
      return alt.item ? `${name}[${describe(alt.item)}]` : name;
    })
    .join(" | ");
}

/** Evidence variables whose strings are ASCII by the evidence schema (dates, codes, digits). */
const BMP_EVIDENCE: ReadonlySet<string> = new Set([
  "personnel_number",
  "gender",
  "birthday",
  "hire_date",
  "employment_type",
  "today",
  "now",
  "platform",
]);

function typeOfSchema(schema: z.ZodType, bmp: boolean): PyType {
  if (schema instanceof z.ZodNullable) return union(typeOfSchema(schema.unwrap() as z.ZodType, bmp), T.none);
  if (schema instanceof z.ZodBoolean) return T.bool;
  if (schema instanceof z.ZodArray) return T.list(typeOfSchema(schema.element as z.ZodType, false));
  if (schema instanceof z.ZodString || schema instanceof z.ZodEnum) return T.str(bmp);
  throw new Error("an evidence variable of a type the translator does not know");
}

/** The evidence variables as LK2 passes them to Python (the same names and values as ours). */
export const EVIDENCE_TYPES: ReadonlyMap<string, PyType> = new Map(
  EVIDENCE_VARIABLES.map((name) => [
    name,
    typeOfSchema(EvidenceSchema.shape[name] as z.ZodType, BMP_EVIDENCE.has(name)),
  ]),
);

/** personnel_number is 8 ASCII digits by the evidence schema: int() of it needs no check. */
export const DIGIT_EVIDENCE: ReadonlySet<string> = new Set(["personnel_number"]);

/** Evidence dates: "YYYY-MM-DD" of a real day, or null (mapped from SAP's timestamps, or computed). */
export const DATE_EVIDENCE: ReadonlySet<string> = new Set(["birthday", "hire_date", "today"]);
