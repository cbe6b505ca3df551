/**
 * Compiled programs run in the host's own JS engine, with the sandbox library unhardened: the
 * reference that tests compare the sandbox with, and the benchmarks' "plain JS" floor. Programs
 * loaded through one loader share its lists and units, as in a sandbox.
 */
import { plainLibrarySource } from "../../src/rules/sandbox/library.ts";

/** What `load` returns for one program (see wasm/runner.js). */
export interface PlainRunner {
  run(arg: string): string;
  cont(limit: string): string;
  fail(kind: string, message: string): string;
  readonly size: number;
}

/** Takes a program's text (compile/program.ts, programText) and returns its runner. */
export function createPlainLoader(): (program: string) => PlainRunner {
  const library = new Function(`return ${plainLibrarySource()}`)() as unknown;
  return (program) => (new Function(`return ${program}`)() as (lib: unknown) => PlainRunner)(library);
}
