// The helper library admins call from rules (documented in docs/rules.md; the names and the
// evidence each one reads are listed in src/rules/vocabulary.ts, and a test keeps the two in
// step). `current.evidence` is the employee being evaluated, set by the runner per request.
// Helpers never mutate their arguments (the compiler passes shared constant lists to them).
// One function expression, no imports: it runs both in the sandbox and, for reference tests and
// the benchmark floor, in plain JS.
(function createHelpers(current) {
  const ev = () => current.evidence;
  // The one text folding of the service: the section search (/user.tabs?query=) uses this very
  // function through src/rules (textMatches), so the two can never disagree.
  const fold = (text) => text.normalize("NFC").toLowerCase().replace(/ё/g, "е");
  // Helpers that take "…ids" also accept lists: inOrgUnit(["1", "2"]) = inOrgUnit("1", "2").
  // Ids are compared as strings, so inOrgUnit(50623875) works too.
  const flat = (args) => {
    const out = [];
    for (const a of args) {
      if (Array.isArray(a)) for (const x of a) out.push(String(x));
      else out.push(String(a));
    }
    return out;
  };
  const anyIn = (list, args) => {
    if (!Array.isArray(list)) return false;
    for (let i = 0; i < args.length; i += 1) {
      const a = args[i];
      if (typeof a === "string") {
        if (list.includes(a)) return true;
      } else if (flat([a]).some((x) => list.includes(x))) return true;
    }
    return false;
  };
  // "YYYY-MM-DD…" → [year, month, day] as numbers, or undefined. Slices, not a regex: helpers
  // run for every rule of every request in an interpreter.
  const ymd = (value) => {
    if (typeof value !== "string" || value.length < 10 || value[4] !== "-" || value[7] !== "-")
      return undefined;
    const y = Number(value.slice(0, 4));
    const m = Number(value.slice(5, 7));
    const d = Number(value.slice(8, 10));
    return Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) ? [y, m, d] : undefined;
  };
  // Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
  const civilDays = (y0, m, d) => {
    const y = m <= 2 ? y0 - 1 : y0;
    const era = Math.floor(y / 400);
    const yoe = y - era * 400;
    const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  };
  // Day number of a "YYYY-MM-DD…" string or a Date (its UTC calendar date); NaN otherwise.
  const dayNumber = (value) => {
    if (value instanceof Date) {
      const t = value.getTime();
      return Number.isNaN(t) ? Number.NaN : Math.floor(t / 86400000);
    }
    const p = ymd(value);
    return p ? civilDays(p[0], p[1], p[2]) : Number.NaN;
  };
  const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  // Whole years from `from` to `to` ("YYYY-MM-DD"); NaN when either is missing.
  const fullYears = (from, to) => {
    const a = ymd(from);
    const b = ymd(to);
    if (!a || !b) return Number.NaN;
    const years = b[0] - a[0];
    return b[1] < a[1] || (b[1] === a[1] && b[2] < a[2]) ? years - 1 : years;
  };
  // FNV-1a, 32 bit, over the UTF-8 bytes of `text`, continuing from state `h`.
  const fnv1a = (h0, text) => {
    let h = h0;
    for (let i = 0; i < text.length; i += 1) {
      const unit = text.charCodeAt(i);
      if (unit < 0x80) {
        h = Math.imul(h ^ unit, 0x01000193) >>> 0;
        continue;
      }
      // Outside ASCII: encode the code point as UTF-8 first.
      const c = text.codePointAt(i);
      if (c > 0xffff) i += 1;
      const bytes =
        c < 0x800
          ? [0xc0 | (c >> 6), 0x80 | (c & 63)]
          : c < 0x10000
            ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
            : [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)];
      for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    }
    return h;
  };
  // FNV is streaming: the state after "<personnel_number>:" is computed once per employee.
  let prefixOf = null;
  let prefixState = 0;
  const bucketPrefix = (personnelNumber) => {
    if (personnelNumber !== prefixOf) {
      prefixState = fnv1a(0x811c9dc5, `${personnelNumber}:`);
      prefixOf = personnelNumber;
    }
    return prefixState;
  };

  return Object.freeze({
    /** Any of the org units is on the employee's org-unit path (the unit itself or above). */
    inOrgUnit: (...ids) => anyIn(ev().orgunit_path, ids),
    /** The employee's region is one of these codes. */
    inRegion: (...codes) => flat(codes).includes(ev().region),
    /** The employee works in one of these stores. */
    inStore: (...ids) => ev().store_id !== null && flat(ids).includes(ev().store_id),
    /** The employee has any of these roles. */
    hasRole: (...roles) => anyIn(ev().roles, roles),
    /** The employee has any of these applications. */
    hasApp: (...codes) => anyIn(ev().apps, codes),
    /** Whole days from `date` ("YYYY-MM-DD" or an ISO instant, read as a UTC date) to today. */
    daysSince: (date) => dayNumber(ev().today) - dayNumber(date),
    /** Whole days from today to `date`; negative once it has passed. */
    daysUntil: (date) => dayNumber(date) - dayNumber(ev().today),
    /** Today is the employee's birthday (29 February birthdays are kept on 28 February in common years). */
    isBirthday: () => {
      const { birthday, today } = ev();
      if (typeof birthday !== "string" || typeof today !== "string") return false;
      const b = birthday.slice(5, 10);
      const t = today.slice(5, 10);
      return b === t || (b === "02-29" && t === "02-28" && !isLeap(Number(today.slice(0, 4))));
    },
    /** The employee's age in whole years (NaN without a birthday). */
    age: () => fullYears(ev().birthday, ev().today),
    /** Whole years since hire_date (NaN without one). */
    yearsOfService: () => fullYears(ev().hire_date, ev().today),
    /** A stable number 0–99 for this employee and salt: bucket("new-payslip") < 10 is 10% of staff. */
    bucket: (salt) => fnv1a(bucketPrefix(String(ev().personnel_number)), String(salt)) % 100,
    /** `text` contains `part`, ignoring case (Cyrillic included); false when text is null. */
    // Case-insensitive, and ё matches е (people type either), like the portal's section search.
    matches: (text, part) =>
      text !== null && text !== undefined && fold(String(text)).includes(fold(String(part))),
  });
});
