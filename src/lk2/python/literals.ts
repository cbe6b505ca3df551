/**
 * Python literals as Python reads them. Lezer tokenises a little more loosely than CPython
 * (`007`, `1_`, `"\x4"` are tokens to it, SyntaxErrors to Python), so numbers and escapes are
 * checked here against the language reference and anything Python would refuse is refused.
 */
import { refuseAt } from "./refusal.ts";

export type NumberLiteral = { kind: "int"; value: number } | { kind: "float"; value: number };

const DIGITS = "[0-9](?:_?[0-9])*";
const DECIMAL_INT = /^(?:0(?:_?0)*|[1-9](?:_?[0-9])*)$/;
const PREFIXED_INT = /^0(?:[xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)$/;
const FLOAT = new RegExp(`^(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][+-]?${DIGITS})?$`);

/** Integers beyond this lose precision as JavaScript numbers; Python keeps them exact. */
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

export function parseNumber(text: string, at: number): NumberLiteral {
  if (/[jJ]$/.test(text)) return refuseAt(at, "complex number", `${text} is a complex number`);
  if (DECIMAL_INT.test(text) || PREFIXED_INT.test(text)) {
    const value = BigInt(text.replaceAll("_", ""));
    if (value > MAX_EXACT) {
      return refuseAt(at, "integer beyond 2^53", `${text} is too large to compare exactly in JavaScript`);
    }
    return { kind: "int", value: Number(value) };
  }
  if (/^0[0-9_]+$/.test(text)) {
    return refuseAt(at, "integer with a leading zero", `${text} is a SyntaxError in Python 3`);
  }
  if (FLOAT.test(text) && /[.eE]/.test(text))
    return { kind: "float", value: Number(text.replaceAll("_", "")) };
  return refuseAt(at, "malformed number", `${text} is not a Python number`);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/**
 * The value of one string token (prefix, quotes, content). Bytes and f-strings are outside the
 * subset; `u` is a no-op; `r` keeps backslashes. Newlines in the source are normalised to \n
 * first, as Python does when it reads a file.
 */
export function parseString(token: string, at: number): string {
  const match = /^([A-Za-z]*)('''|"""|'|")/.exec(token);
  if (!match) return refuseAt(at, "malformed string", "not a Python string literal");
  const prefix = (match[1] ?? "").toLowerCase();
  const quote = match[2] ?? "'";
  if (prefix.includes("b")) return refuseAt(at, "bytes literal", "bytes (b'…') are not strings");
  if (prefix.includes("f")) return refuseAt(at, "f-string", "f-strings are outside the subset");
  if (!token.endsWith(quote) || token.length < prefix.length + 2 * quote.length) {
    return refuseAt(at, "unterminated string", "the string is not closed");
  }
  const body = token.slice(prefix.length + quote.length, token.length - quote.length).replace(/\r\n?/g, "\n");
  return prefix.includes("r") ? body : unescapeBody(body, at + prefix.length + quote.length);
}

function unescapeBody(body: string, at: number): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return refuseAt(at + i, "malformed string", "a string cannot end with \\");
    if (next === "\n") {
      i += 1; // a backslash-newline continues the string
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 1;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1));
    if (octal) {
      out += String.fromCharCode(Number.parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    const width = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (width > 0) {
      const hex = body.slice(i + 2, i + 2 + width);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === width ? Number.parseInt(hex, 16) : -1;
      if (code < 0 || code > 0x10ffff) {
        return refuseAt(at + i, "malformed escape", `\\${next}${hex} is a SyntaxError in Python`);
      }
      out += String.fromCodePoint(code);
      i += 1 + width;
      continue;
    }
    if (next === "N") return refuseAt(at + i, "named escape \\N{…}", "\\N{…} escapes are outside the subset");
    out += `\\${next}`; // Python keeps unknown escapes as written
    i += 1;
  }
  return out;
}

/** True when the text has no character outside the Basic Multilingual Plane. */
export function isBmp(text: string): boolean {
  return !/[\uD800-\uDFFF]/.test(text);
}
