import { ruleNameProblem as engineNameProblem } from "../../rules/index.ts";
import { describeCodePoint, isBidiControl } from "../text.ts";

/**
 * A rule's name is how other rules refer to it inside an expression, so it must be a plain
 * identifier that means nothing else there. The rule engine's own check is the authority on
 * identifiers, keywords, globals, evidence variables and helpers; this adds a precise message
 * for non-ASCII characters (where the engine would only say "not an identifier") and refuses
 * the names every JS object already has.
 */
export const MAX_RULE_NAME_LENGTH = 64;

/** Object.prototype's members: a rule named like one could be mistaken for it wherever results are kept by name. */
const OBJECT_MEMBERS = new Set([
  "constructor",
  "prototype",
  "toString",
  "toLocaleString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
]);

/** Why this name cannot be a rule name, or null when it can. */
export function ruleNameProblem(name: string): string | null {
  if (name.length === 0) return "rule name must not be empty";
  const foreign = /[^\x21-\x7e]/u.exec(name);
  if (foreign) return `rule name ${foreignCharacterProblem(foreign[0], foreign.index)}`;
  const problem = engineNameProblem(name);
  if (problem) return problem;
  if (OBJECT_MEMBERS.has(name)) return `rule name "${name}" is taken by every JavaScript object`;
  return null;
}

/**
 * Names are ASCII only. Non-Latin letters that look like Latin ones (Cyrillic "а" in "is_mаnager")
 * and invisible characters would make two names that read the same refer to different rules.
 */
function foreignCharacterProblem(char: string, index: number): string {
  const where = `at position ${index + 1} (${describeCodePoint(char)})`;
  if (isBidiControl(char)) {
    return `contains an invisible bidirectional control character ${where}; names must be plain ASCII`;
  }
  if (/\p{Cf}|\p{Cc}/u.test(char))
    return `contains an invisible character ${where}; names must be plain ASCII`;
  if (/\s/u.test(char)) return `contains a space ${where}; use _ between words`;
  const script = /\p{Script=Cyrillic}/u.test(char)
    ? "a Cyrillic letter"
    : /\p{Script=Greek}/u.test(char)
      ? "a Greek letter"
      : /\p{L}/u.test(char)
        ? "a non-Latin letter"
        : "a non-ASCII character";
  return `contains ${script} "${char}" ${where}, which can look like a Latin one; names use only ASCII letters, digits and _`;
}
