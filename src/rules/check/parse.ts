/**
 * Parsing one rule expression with meriyah: a fast, small, spec-complete ESTree parser with
 * exact locations and no dependencies. Parsed as strict-mode script (the sandbox program is
 * strict), keeping parentheses so the nesting limit sees them.
 */
import { type ESTree, isParseError, parseScript } from "meriyah";
import type { RuleProblem } from "../types.ts";

export type ParseResult = { ok: true; expression: ESTree.Expression } | { ok: false; problem: RuleProblem };

/** meriyah's line is 1-based, its column 0-based; problems are 1-based both ways. */
export function problemAt(node: ESTree.Node | undefined, message: string): RuleProblem {
  const start = node?.loc?.start;
  return { message, line: start?.line ?? 1, column: (start?.column ?? 0) + 1 };
}

export function parseExpression(source: string): ParseResult {
  let program: ESTree.Program;
  try {
    program = parseScript(source, {
      loc: true,
      ranges: true,
      preserveParens: true,
      impliedStrict: true,
      next: true,
    });
  } catch (error) {
    if (isParseError(error)) {
      const { line, column } = error.loc.start;
      return {
        ok: false,
        problem: {
          message: friendlyParseMessage(source, error.start, error.description),
          line,
          column: column + 1,
        },
      };
    }
    // meriyah is recursive: thousands of nested brackets exhaust the host stack.
    return { ok: false, problem: { message: "the expression is nested too deeply", line: 1, column: 1 } };
  }
  const [first, second] = program.body;
  if (!first) return { ok: false, problem: { message: "the expression is empty", line: 1, column: 1 } };
  if (second) {
    return {
      ok: false,
      problem: problemAt(second, "a rule is exactly one expression; remove the `;` and what follows it"),
    };
  }
  if (first.type !== "ExpressionStatement") {
    const hint =
      first.type === "BlockStatement"
        ? "; to write an object literal, wrap it in parentheses"
        : ` (found a ${first.type.replace(/Statement|Declaration/, " $&").toLowerCase()})`;
    return { ok: false, problem: problemAt(first, `a rule is one expression, not a statement${hint}`) };
  }
  return { ok: true, expression: first.expression };
}

function friendlyParseMessage(source: string, offset: number, description: string): string {
  if (/octal/i.test(description)) {
    return /^0\d/.test(source.slice(offset, offset + 2)) || /^0\d/.test(source.slice(offset - 1, offset + 1))
      ? 'a number cannot start with 0: write 1240519, or quote it as a string "01240519"'
      : "octal escapes such as \\0 followed by a digit are not allowed";
  }
  return description;
}
