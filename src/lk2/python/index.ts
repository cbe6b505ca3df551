/**
 * The Python → JavaScript rule translator: a pure function of the source and of what the names
 * of earlier rules mean. See translate.ts for how meaning is kept, parse.ts for the parser.
 */
import { parsePython } from "./parse.ts";
import { lineColumn, Refusal } from "./refusal.ts";
import { type PythonWorld, Translator } from "./translate.ts";

export type { PythonWorld, RuleMeaning } from "./translate.ts";
export { PYTHON_BUILTINS } from "./translate.ts";

export type PythonTranslation =
  | { ok: true; js: string; names: string[] }
  | {
      ok: false;
      /** What was met, e.g. "lambda", "f-string", "name foo". */
      construct: string;
      /** Why it is refused. */
      reason: string;
      line: number;
      column: number;
      /** Names the source mentions, as far as it was read. */
      names: string[];
    };

export function translatePython(source: string, world: PythonWorld): PythonTranslation {
  let names: string[] = [];
  try {
    const parsed = parsePython(source);
    names = [...parsed.names].sort();
    const translator = new Translator(world, tempPrefix([...parsed.names, ...world.ruleJsNames]));
    return { ok: true, js: translator.rule(parsed.expression), names };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return {
      ok: false,
      construct: error.construct,
      reason: error.reason,
      ...lineColumn(source, error.at),
      names,
    };
  }
}

/** `_t`, or a longer run of underscores, so that no name in sight starts with it. */
function tempPrefix(names: readonly string[]): string {
  let prefix = "_t";
  while (names.some((name) => name.startsWith(prefix))) prefix = `_${prefix}`;
  return prefix;
}
