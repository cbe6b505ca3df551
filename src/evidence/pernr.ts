/**
 * Personnel numbers: the one definition, used by auth, the SAP client, the admin preview and
 * every schema that takes one. They arrive from tokens and query strings (untrusted). SAP keys
 * them as NUMC 8: digits only, left padded with zeros; all zeros is no one. Anything else is not
 * a personnel number, so it never reaches a URL.
 */
import { z } from "zod";

const DIGITS_1_TO_8 = /^\d{1,8}$/;

/** "123" → "00000123"; "1' or 1=1", "../x", "", 9+ digits, "0" (all zeros) → undefined. */
export function normalizePernr(input: unknown): string | undefined {
  if (typeof input !== "string" || !DIGITS_1_TO_8.test(input)) return undefined;
  const pernr = input.padStart(8, "0");
  return pernr === "00000000" ? undefined : pernr;
}

/**
 * A personnel number as a client may write it (leading zeros optional). Validation only (a
 * transform has no JSON Schema for OpenAPI): the service takes `normalizePernr` of the value.
 */
export const PernrInputSchema = z
  .string()
  .trim()
  .regex(DIGITS_1_TO_8, "a personnel number: 1 to 8 digits")
  .refine((value) => normalizePernr(value) !== undefined, "a personnel number cannot be all zeros")
  .describe("SAP personnel number; leading zeros may be left out");
