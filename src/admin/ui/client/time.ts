/**
 * Banner windows are entered and shown in Moscow time, whatever the admin's computer thinks:
 * the portal's audience and LK_TIMEZONE are Moscow. Russia keeps UTC+3 all year (since 2014).
 */
const MOSCOW_OFFSET = "+03:00";

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Moscow",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant → the value of a datetime-local input in Moscow time ("2026-03-01T09:00"). */
export function toMoscowInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const p = Object.fromEntries(parts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A datetime-local value read as Moscow time → an ISO instant with the offset, or null when empty. */
export function fromMoscowInput(value: string): string | null {
  return value ? `${value}:00${MOSCOW_OFFSET}` : null;
}
