import { z } from "zod";

/**
 * What a rule sees about an employee (docs/api.md, "Evidence"). This one schema is the
 * source of truth for the SAP mapping, the rule validator's list of variables, and OpenAPI.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");

export const EmployeeEvidenceSchema = z.object({
  personnel_number: z.string().regex(/^\d{8}$/, "8 digits"),
  full_name: z.string(),
  gender: z.enum(["male", "female"]).nullable(),
  birthday: isoDate.nullable(),
  hire_date: isoDate.nullable(),
  position_id: z.string(),
  position: z.string(),
  orgunit_id: z.string(),
  orgunit_path: z.array(z.string()),
  region: z.string(),
  region_name: z.string(),
  store_id: z.string().nullable(),
  employee_group: z.string(),
  employment_type: z.enum(["full_time", "part_time"]),
  is_manager: z.boolean(),
  roles: z.array(z.string()),
  apps: z.array(z.string()),
});
export type EmployeeEvidence = z.infer<typeof EmployeeEvidenceSchema>;

export const PLATFORMS = ["web", "ios", "android"] as const;
export const PlatformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof PlatformSchema>;

/** Per-request extras, computed by the service, not by SAP. */
export const RequestExtrasSchema = z.object({
  today: isoDate.describe("the date in LK_TIMEZONE"),
  now: z
    .string()
    .describe(
      "ISO-8601 instant of the request, floored to the minute: what `now`, `Date.now()` and `new Date()` give inside a rule",
    ),
  platform: PlatformSchema,
});
export type RequestExtras = z.infer<typeof RequestExtrasSchema>;

export const EvidenceSchema = EmployeeEvidenceSchema.extend(RequestExtrasSchema.shape);
export type Evidence = z.infer<typeof EvidenceSchema>;

/** The names a rule may read as variables (besides other rules' names and helpers). */
export const EVIDENCE_VARIABLES = Object.keys(EvidenceSchema.shape) as Array<keyof Evidence>;

/**
 * The extras for one request: `today` is the calendar date in `timeZone` at `now`, and `now` is
 * floored to the minute, so a rule that reads the clock gives one answer per employee per
 * minute, and its results stay cacheable for that minute (banner windows use exact time).
 * Every request asks, so the answer is one frozen object per minute, zone and platform, built
 * once a minute (the zone's calendar date costs a formatter call, the ISO string another).
 */
export function requestExtras(now: Date, timeZone: string, platform: Platform): RequestExtras {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== extrasMinute) {
    extrasMinute = minute;
    extrasThisMinute.clear();
  }
  const key = `${timeZone}|${platform}`;
  let extras = extrasThisMinute.get(key);
  if (!extras) {
    extras = Object.freeze({
      today: dateInZone(now, timeZone),
      now: floorToMinute(now).toISOString(),
      platform,
    });
    extrasThisMinute.set(key, extras);
  }
  return extras;
}

let extrasMinute = Number.NaN;
const extrasThisMinute = new Map<string, RequestExtras>();

export function floorToMinute(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
}

export function dateInZone(instant: Date, timeZone: string): string {
  return dayFormatter(timeZone).format(instant);
}

// Building an Intl.DateTimeFormat costs ~100 µs; this runs on every request, so keep one per zone.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    // en-CA formats as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}
