/**
 * SAP OData v2 date literals: `/Date(631152000000)/` is milliseconds since the epoch (UTC);
 * `/Date(631141200000+0180)/` is the same kind of instant with an offset in minutes, meaning
 * "this is local midnight at UTC+3". A calendar date is read in the literal's own offset, so
 * both forms of 1990-01-01 give "1990-01-01". Negative milliseconds (before 1970) are legal.
 */
const SAP_DATE = /^\/Date\((-?\d+)(?:([+-])(\d{4}))?\)\/$/;

export class SapDateError extends Error {}

/** Literal → "YYYY-MM-DD"; `null` stays `null`; anything else throws SapDateError. */
export function parseSapDate(literal: string | null): string | null {
  if (literal === null) return null;
  const match = SAP_DATE.exec(literal.trim());
  if (!match) throw new SapDateError("not a /Date(ms)/ literal");
  const [, ms, sign, minutes] = match;
  const offsetMs = sign ? (sign === "-" ? -1 : 1) * Number(minutes) * 60_000 : 0;
  const local = new Date(Number(ms) + offsetMs);
  if (Number.isNaN(local.getTime())) throw new SapDateError("date out of range");
  return local.toISOString().slice(0, 10);
}

/** The inverse, for mocks and tests: "YYYY-MM-DD" → `/Date(ms)/` at UTC midnight. */
export function toSapDate(isoDate: string): string {
  return `/Date(${Date.parse(`${isoDate}T00:00:00Z`)})/`;
}
