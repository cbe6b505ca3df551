/**
 * The one definition of text that may not be stored: characters that make what is shown (or
 * what code does) differ from what it reads as. Titles on 300,000 screens, rule expressions and
 * rule names all use it. Refused everywhere: C0/C1 control characters and the bidirectional
 * embeddings, overrides, isolates and marks (the "Trojan Source" trick). Expressions may keep
 * tab and line breaks.
 */

/** U+202A–E embeddings/overrides, U+2066–9 isolates, U+200E/F and U+061C marks. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const UNSAFE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]|\p{Cc}/gu;
const LAYOUT_CONTROLS = new Set(["\t", "\n", "\r"]);

export interface UnsafeCharacter {
  char: string;
  /** 0-based index in the text. */
  index: number;
  /** "an invisible bidirectional control character" or "a control character". */
  what: string;
}

export function isBidiControl(char: string): boolean {
  return BIDI_CONTROL.test(char);
}

export function describeCodePoint(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `U+${hex}`;
}

/** The first character that may not be stored, or null when the text is clean. */
export function findUnsafeCharacter(
  text: string,
  options: { allowLayout?: boolean } = {},
): UnsafeCharacter | null {
  for (const match of text.matchAll(UNSAFE)) {
    const char = match[0];
    if (options.allowLayout && LAYOUT_CONTROLS.has(char)) continue;
    const what = isBidiControl(char) ? "an invisible bidirectional control character" : "a control character";
    return { char, index: match.index, what };
  }
  return null;
}
