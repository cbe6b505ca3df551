/**
 * The usual slips of people who write rules without writing JavaScript every day: words for
 * logic (`and`, `или`), one `=` to compare, Python's `x in list`, `.include(`. The parser's
 * message for them ("Unexpected token: 'identifier'") says nothing a manager can act on, and two
 * of them are valid JavaScript that means something else. Pure: the source text and, when the
 * check failed, where it failed; the answer says what was written, what to write and where.
 */

export type SlipKind = "word_operator" | "single_equals" | "python_in" | "include";

export interface RuleSlip {
  kind: SlipKind;
  /** What was written, as written (`и`, `=`, `"cashier" in roles`, `.include`). */
  found: string;
  /** What to write instead (`&&`, `===`, `roles.includes("cashier")`, `.includes`). */
  write: string;
  /** 1-based, where `found` starts. */
  line: number;
  column: number;
  /** One sentence of advice, in the check's language (English). */
  advice: string;
}

const WORD_OPERATORS: Readonly<Record<string, string>> = {
  and: "&&",
  or: "||",
  not: "!",
  и: "&&",
  или: "||",
  не: "!",
};

/** A word operator, any case, standing on its own (not part of a longer name). */
const WORD = /(?<![\p{L}\p{N}_$.])(and|or|not|и|или|не)(?![\p{L}\p{N}_$])/giu;
/** A lone `=` (not part of `==`, `===`, `!=`, `<=`, `>=`, `=>`). */
const SINGLE_EQUALS = /(?<![=!<>+\-*/%&|^?])=(?![=>])/g;
/** Python's membership test: a literal or a name, `in`, a name (`"cashier" in roles`). */
const PYTHON_IN = /("[^"\n]*"|'[^'\n]*'|\d+|[A-Za-z_][\w.]*)\s+in\s+([A-Za-z_][\w.]*)/g;
const INCLUDE = /\.include(?![\w$])/g;

export interface SlipAt {
  line: number;
  column: number;
}

/**
 * The slips in `source`. With `failedAt` (the check's problem), only the slip at or just before
 * that place is returned, since that is the one the parser stumbled on; without it, every slip
 * that is valid JavaScript meaning something else (`x in list`, `.include`).
 */
export function findSlips(source: string, failedAt?: SlipAt): RuleSlip[] {
  const strings = stringRanges(source);
  const outside = (index: number) => !strings.some(([from, to]) => index > from && index < to);
  const found: RuleSlip[] = [];
  for (const m of source.matchAll(WORD)) {
    const word = m[0];
    const write = WORD_OPERATORS[word.toLowerCase()];
    if (write === undefined || !outside(m.index)) continue;
    found.push(slip(source, m.index, "word_operator", word, write, `write ${write} instead of "${word}"`));
  }
  for (const m of source.matchAll(SINGLE_EQUALS)) {
    if (!outside(m.index)) continue;
    found.push(slip(source, m.index, "single_equals", "=", "===", "to compare, write === instead of ="));
  }
  for (const m of source.matchAll(PYTHON_IN)) {
    const [whole, item, list] = m;
    if (!item || !list || !outside(m.index) || isKeyword(item) || isKeyword(list)) continue;
    const write = `${list}.includes(${item})`;
    found.push(
      slip(source, m.index, "python_in", whole, write, `to test membership in a list, write ${write}`),
    );
  }
  for (const m of source.matchAll(INCLUDE)) {
    if (!outside(m.index)) continue;
    found.push(
      slip(source, m.index, "include", ".include", ".includes", "the method is .includes (with an s)"),
    );
  }
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  if (!failedAt) return found.filter((s) => s.kind === "python_in" || s.kind === "include");
  // The parser stops at the token after the slip (`a и b` fails at `и`, `a = b` at `a`); take the
  // slip nearest at or before the failure, or the first after it on the same line.
  const at = offsetOf(source, failedAt);
  const positioned = found.map((s) => ({ s, offset: offsetOf(source, s) }));
  const before = positioned.filter((p) => p.offset <= at).at(-1);
  const after = positioned.find((p) => p.offset > at && p.s.line === failedAt.line);
  const chosen = before ?? after;
  return chosen ? [chosen.s] : [];
}

function isKeyword(word: string): boolean {
  return word === "in" || word === "typeof" || word === "void" || word === "new";
}

function slip(
  source: string,
  index: number,
  kind: SlipKind,
  found: string,
  write: string,
  advice: string,
): RuleSlip {
  const before = source.slice(0, index).split(/\r\n|\r|\n/);
  return { kind, found, write, line: before.length, column: (before.at(-1)?.length ?? 0) + 1, advice };
}

function offsetOf(source: string, at: SlipAt): number {
  const lines = source.split(/(?<=\r\n|\r|\n)/);
  let offset = 0;
  for (let i = 0; i < at.line - 1 && i < lines.length; i++) offset += lines[i]?.length ?? 0;
  return offset + at.column - 1;
}

/** [start, end] offsets of string and template literals (their quotes included). */
function stringRanges(source: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const quoted = /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?/g;
  for (const m of source.matchAll(quoted)) ranges.push([m.index, m.index + m[0].length - 1]);
  return ranges;
}
