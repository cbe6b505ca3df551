/**
 * The Python expressions the translator understands, as a small tree of its own (parse.ts builds
 * it from Lezer's concrete syntax tree). `at` is the offset of the node's first character.
 */

export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in" | "is" | "is not";
export type BinaryOp = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "&" | "|" | "^" | "<<" | ">>" | "@";

export type PyNode =
  | { t: "name"; id: string; at: number }
  | { t: "str"; value: string; at: number }
  | { t: "int"; value: number; at: number }
  | { t: "float"; value: number; at: number }
  | { t: "const"; value: boolean | null; at: number }
  | { t: "list" | "tuple" | "set"; items: PyNode[]; at: number }
  | { t: "boolop"; op: "and" | "or"; left: PyNode; right: PyNode; at: number }
  | { t: "not"; operand: PyNode; at: number }
  | { t: "compare"; first: PyNode; links: CompareLink[]; at: number }
  | { t: "binop"; op: BinaryOp; left: PyNode; right: PyNode; at: number }
  | { t: "unary"; op: "-" | "+" | "~"; operand: PyNode; at: number }
  | { t: "ifexp"; test: PyNode; body: PyNode; orelse: PyNode; at: number }
  | { t: "call"; func: PyNode; args: PyNode[]; keywords: Keyword[]; at: number }
  | { t: "attr"; object: PyNode; name: string; at: number }
  | { t: "index"; object: PyNode; index: PyNode; at: number }
  | { t: "slice"; object: PyNode; lower?: PyNode; upper?: PyNode; step?: PyNode; at: number }
  | { t: "comp"; kind: "gen" | "list" | "set"; element: PyNode; clauses: CompClause[]; at: number };

export interface CompareLink {
  op: CompareOp;
  right: PyNode;
  at: number;
}

export interface Keyword {
  name: string;
  value: PyNode;
  at: number;
}

export type CompClause =
  | { t: "for"; target: string; targetAt: number; iter: PyNode }
  | { t: "if"; test: PyNode };

export type PyNodeOf<T extends PyNode["t"]> = Extract<PyNode, { t: T }>;
