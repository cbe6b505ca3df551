/**
 * A construct outside the translated subset, at a character offset of the Python source. Thrown
 * inside the translator only (its public function returns it as a value).
 */
export class Refusal extends Error {
  constructor(
    /** Short name of what was met: "lambda", "f-string", "name foo". */
    readonly construct: string,
    /** Offset in the source. */
    readonly at: number,
    /** Why, for the admin reading the report. */
    readonly reason: string,
  ) {
    super(`${construct}: ${reason}`);
    this.name = "Refusal";
  }
}

export function refuseAt(at: number, construct: string, reason: string): never {
  throw new Refusal(construct, at, reason);
}

/** 1-based line and column (in UTF-16 units, like the rest of our positions) of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
