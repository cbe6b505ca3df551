import { z } from "zod";
import { PlatformSchema } from "../evidence/index.ts";
import { describeCodePoint, findUnsafeCharacter } from "./text.ts";

/**
 * The field types the admin API's bodies are built from. Every string is trimmed, and text that
 * ends up on 300,000 screens may not carry control characters or bidirectional overrides (the
 * "Trojan Source" trick: text that reads differently from what it is). HTML in a title is allowed
 * and stored as typed: every consumer renders titles as text.
 */

/** The message for a character that may not be stored (see text.ts), or null when clean. */
export function forbiddenCharacterIn(text: string): string | null {
  const found = findUnsafeCharacter(text);
  if (!found) return null;
  return `contains ${found.what} (${describeCodePoint(found.char)}) at position ${found.index + 1}`;
}

const cleanText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = forbiddenCharacterIn(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

export const TitleSchema = cleanText(300).describe(
  "Shown to employees as plain text (HTML is not interpreted). Trimmed; no control or bidi characters.",
);

export const IconSchema = cleanText(500).describe(
  "An icon name or image URL, as the LK front end expects it",
);

/**
 * A link the front end follows: an absolute http(s) URL or a path on the portal ("/payslip").
 * Other schemes (javascript:, data:, …) are refused: a link is the classic way to run script.
 */
export const LinkSchema = cleanText(2000)
  .refine(
    (value) => {
      if (value.startsWith("/")) return !value.startsWith("//") && !value.includes("\\");
      try {
        const url = new URL(value);
        return url.protocol === "https:" || url.protocol === "http:";
      } catch {
        return false;
      }
    },
    { message: "must be an http(s) URL or a path starting with a single /" },
  )
  .describe("An absolute http(s) URL, or a portal path starting with `/`");

export const SortOrderSchema = z
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .describe("Position among its siblings; smaller first, ties by id");

/** Ids are PostgreSQL `serial`s. */
export const IdSchema = z.number().int().positive().max(2_147_483_647);

export const RuleRefSchema = IdSchema.nullable().describe(
  "The rule that gates this component (null: always visible). It must exist.",
);

export const PlatformsSchema = z
  .array(PlatformSchema)
  .min(1, "use null for every platform")
  .max(3)
  .refine((list) => new Set(list).size === list.length, { message: "platforms must not repeat" })
  .nullable()
  .describe("The platforms it is shown on; null: every platform");

export const InstantSchema = z.iso
  .datetime({ offset: true })
  .describe("ISO-8601 instant with a time zone offset, e.g. 2026-03-01T00:00:00+03:00");

export const IfMatchHeadersSchema = z.object({
  "if-match": z
    .string()
    .optional()
    .describe(
      "The version you edited (as answered in `version` / `ETag`). Required: missing is 428, stale is 409.",
    ),
});

export const OptionalIfMatchHeadersSchema = z.object({
  "if-match": z.string().optional().describe("Optional: when given, a stale version is refused with 409"),
});

/** Timestamps in answers: ISO-8601 strings. */
export const TimestampSchema = z.string().describe("ISO-8601 instant");

export const MetaShape = {
  id: z.number().int(),
  version: z.number().int().describe("Increments on every change; send it back in If-Match"),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
};
