// The helper library admins call from rules (documented in docs/rules.md; the names and the
// evidence each one reads are listed in src/rules/vocabulary.ts, and a test keeps the two in
// step). `current.evidence` is the employee being evaluated, set by the runner per request.
// Helpers never mutate their arguments (the compiler passes shared constant lists to them).
// One function expression, no imports: it runs both in the sandbox and, for reference tests and
// the benchmark floor, in plain JS.
(function createHelpers(current) {
  const ev = () => current.evidence;
  const MapType = Map;
  const imul = Math.imul;
  // A pure function of a string, remembered: the same few strings (today, the employee's
  // position, a rule's constant) come back in every rule and every request, and in the
  // interpreter folding one costs ~5 µs. Bounded (short strings, few entries, forgotten all at
  // once when full), so that nothing a rule passes in can grow the heap from one request to the
  // next. `undefined` results are not kept.
  const remembered = (fn) => {
    const cache = new MapType();
    return (text) => {
      if (typeof text !== "string" || text.length > 64) return fn(text);
      const known = cache.get(text);
      if (known !== undefined) return known;
      const value = fn(text);
      if (cache.size >= 256) cache.clear();
      if (value !== undefined) cache.set(text, value);
      return value;
    };
  };
  // Text made only of ASCII and Cyrillic letters (no combining marks, U+0483–U+0489) is already
  // in NFC: each such character is, and no pair of them composes (checked exhaustively in
  // QuickJS, test/rules/helpers-memo.test.ts), so normalize() — most of the cost — is skipped.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose
  const alreadyNfc = /^[\u0000-\u007f\u0400-\u0482\u048a-\u04ff]*$/;
  // The one text folding of the service: the section search (/user.tabs?query=) uses this very
  // function through src/rules (textMatches), so the two can never disagree.
  const fold = (text) =>
    (alreadyNfc.test(text) ? text : text.normalize("NFC")).toLowerCase().replace(/ё/g, "е");
  const foldRemembered = remembered(fold);
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
  // The parts of a date string, remembered (never handed to rules, so shared safely).
  const ymdOf = remembered(ymd);
  // Day number of a "YYYY-MM-DD…" string; NaN otherwise.
  const dayOfString = remembered((value) => {
    const p = ymd(value);
    return p ? civilDays(p[0], p[1], p[2]) : Number.NaN;
  });
  // Day number of a "YYYY-MM-DD…" string or a Date (its UTC calendar date); NaN otherwise.
  const dayNumber = (value) => {
    if (value instanceof Date) {
      const t = value.getTime();
      return Number.isNaN(t) ? Number.NaN : Math.floor(t / 86400000);
    }
    return dayOfString(value);
  };
  const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  // Whole years from `from` to `to` ("YYYY-MM-DD"); NaN when either is missing.
  const fullYears = (from, to) => {
    const a = ymdOf(from);
    const b = ymdOf(to);
    if (!a || !b) return Number.NaN;
    const years = b[0] - a[0];
    return b[1] < a[1] || (b[1] === a[1] && b[2] < a[2]) ? years - 1 : years;
  };
  // The UTF-8 bytes of `text`.
  const utf8 = (text) => {
    const bytes = [];
    for (let i = 0; i < text.length; i += 1) {
      const c = text.codePointAt(i);
      if (c > 0xffff) i += 1;
      if (c < 0x80) bytes.push(c);
      else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return bytes;
  };
  // A salt is a rule's constant: its bytes are worked out once, not per call.
  const utf8Of = remembered(utf8);
  // FNV-1a, 32 bit, over `bytes`, continuing from state `h0` (kept as int32 in the loop: the
  // same bits, one operation less per byte).
  const fnv1a = (h0, bytes) => {
    let h = h0 | 0;
    for (let i = 0; i < bytes.length; i += 1) h = imul(h ^ bytes[i], 0x01000193);
    return h >>> 0;
  };
  // FNV is streaming: the state after "<personnel_number>:" is computed once per employee.
  let prefixOf = null;
  let prefixState = 0;
  const bucketPrefix = (personnelNumber) => {
    if (personnelNumber !== prefixOf) {
      prefixState = fnv1a(0x811c9dc5, utf8(`${personnelNumber}:`));
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
    bucket: (salt) => fnv1a(bucketPrefix(String(ev().personnel_number)), utf8Of(String(salt))) % 100,
    /** `text` contains `part`, ignoring case (Cyrillic included); false when text is null. */
    // Case-insensitive, and ё matches е (people type either), like the portal's section search.
    matches: (text, part) =>
      text !== null &&
      text !== undefined &&
      foldRemembered(String(text)).includes(foldRemembered(String(part))),
  });
});
