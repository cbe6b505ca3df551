/** What the allow-list walk (analyze.ts) tells an admin about syntax it refuses. */
import type { ESTree } from "meriyah";
import { EVIDENCE, HELPER_READS, SAFE_GLOBALS } from "../vocabulary.ts";
import { closestName } from "./suggest.ts";

/** Node types no rule may contain, with the reason. */
export const FORBIDDEN: Partial<Record<ESTree.Node["type"], string>> = {
  UpdateExpression: "++ and -- are not allowed in rules",
  ThisExpression: "`this` is not allowed in rules",
  FunctionExpression:
    "function expressions are not allowed in rules; use an arrow function such as u => u.length > 0",
  ClassExpression: "classes are not allowed in rules",
  ImportExpression: "import() is not allowed in rules",
  MetaProperty: "import.meta and new.target are not allowed in rules",
  AwaitExpression: "await is not allowed: rules are synchronous",
  YieldExpression: "yield is not allowed in rules",
  SequenceExpression: "the comma operator is not allowed in rules",
  TaggedTemplateExpression: "tagged templates are not allowed in rules",
  Super: "super is not allowed in rules",
};

/** An unknown free name, with the closest known one as a suggestion. */
export function unknownName(name: string, world: { ruleNames?: Iterable<string> }): string {
  const known = [...EVIDENCE, ...Object.keys(HELPER_READS), ...SAFE_GLOBALS, ...(world.ruleNames ?? [])];
  const guess = closestName(name, known);
  return `unknown name "${name}": not an evidence variable, rule or helper${guess ? ` (did you mean "${guess}"?)` : ""}`;
}

/** "ArrowFunctionExpression" → "Arrow function expression". */
export function describeType(type: string): string {
  return type
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/^\w/, (c) => c.toUpperCase());
}
