/**
 * Personnel numbers arrive from tokens (untrusted). SAP keys them as NUMC 8: digits only, left
 * padded with zeros. Anything else is not a personnel number, so it never reaches a URL.
 */
const DIGITS_1_TO_8 = /^\d{1,8}$/;

/** "123" → "00000123"; "1' or 1=1", "../x", "", 9+ digits, all zeros → undefined. */
export function normalizePernr(input: unknown): string | undefined {
  if (typeof input !== "string" || !DIGITS_1_TO_8.test(input)) return undefined;
  const pernr = input.padStart(8, "0");
  return pernr === "00000000" ? undefined : pernr;
}
