/** What makes a good rule name: other rules refer to it as a plain identifier. */
import { EVIDENCE, HELPER_READS, isReservedIdentifier, SAFE_GLOBALS, UNAVAILABLE } from "../vocabulary.ts";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if implements import in instanceof interface let new null package private protected public " +
    "return static super switch this throw true try typeof var void while with yield await async of get set"
  ).split(" "),
);

/** Why `name` cannot be a rule name, or undefined when it can. */
export function ruleNameProblem(name: string): string | undefined {
  if (!IDENTIFIER.test(name))
    return `rule name "${name}" must be an identifier (letters, digits, _; not starting with a digit)`;
  if (name.length > 64) return "rule name is longer than 64 characters";
  if (RESERVED_WORDS.has(name)) return `rule name "${name}" is a JavaScript keyword`;
  if (isReservedIdentifier(name)) return "rule names starting with __ are reserved";
  if (EVIDENCE.has(name)) return `rule name "${name}" is taken by an evidence variable`;
  if (name in HELPER_READS) return `rule name "${name}" is taken by a helper`;
  if (SAFE_GLOBALS.has(name) || name in UNAVAILABLE) return `rule name "${name}" is taken by a built-in`;
  return undefined;
}
