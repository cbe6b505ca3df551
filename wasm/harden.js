// Runs once inside every fresh QuickJS context, before any rule program is loaded.
// It turns the context into a deterministic, tamper-proof room for rules:
//  - time comes only from the evidence (`now`), local time is UTC whatever the host's TZ is,
//    and Math.random is gone, so identical evidence gives identical results;
//  - code generation (eval, the Function constructors) and the hooks a rule could use to
//    observe or outlive a request (Proxy, Reflect, WeakRef, FinalizationRegistry, BigInt…)
//    are removed;
//  - every intrinsic reachable from the global object is frozen, so no rule can change what
//    another rule or a later request sees.
// The file is one function expression; src/rules/sandbox/library.ts splices it into the
// sandbox library. It must stay plain ES2023 with no imports.
(function harden(g) {
  const OrigDate = g.Date;
  const proto = OrigDate.prototype;
  const origParse = OrigDate.parse;
  const origUTC = OrigDate.UTC;
  const origOffset = proto.getTimezoneOffset;
  const getTime = proto.getTime;
  const freeze = Object.freeze;
  const getPrototypeOf = Object.getPrototypeOf;
  const getOwnPropertyNames = Object.getOwnPropertyNames;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const isFrozen = Object.isFrozen;
  const isNotANumber = Number.isNaN;
  const apply = g.Reflect.apply;

  // The instant the current request happens at (ms since epoch); set from evidence.now.
  let now = Number.NaN;

  // A string without an explicit zone is read as UTC (QuickJS would read it in the host's
  // zone). Date-only ISO strings are UTC already.
  const explicitZone = /(?:z|[+-]\d\d(?::?\d\d)?|\b(?:gmt|utc|ut)\b.*)\s*(?:\([^)]*\))?\s*$/i;
  const isoDateOnly = /^\s*[+-]?\d{4,6}(?:-\d\d(?:-\d\d)?)?\s*$/;
  const parse = (text) => {
    const s = String(text);
    const t = origParse(s);
    if (isNotANumber(t) || explicitZone.test(s) || isoDateOnly.test(s)) return t;
    return t - apply(origOffset, new OrigDate(t), []) * 60000;
  };

  function SandboxDate(...args) {
    if (new.target === undefined) return new SandboxDate().toString();
    let t;
    if (args.length === 0) t = now;
    else if (args.length === 1) {
      const v = args[0];
      t = typeof v === "string" ? parse(v) : v instanceof OrigDate ? apply(getTime, v, []) : v;
    } else t = apply(origUTC, undefined, args);
    return new OrigDate(t);
  }
  SandboxDate.prototype = proto;
  SandboxDate.now = () => now;
  SandboxDate.parse = parse;
  SandboxDate.UTC = origUTC;
  Object.defineProperty(proto, "constructor", { value: SandboxDate, writable: true, configurable: true });

  // Local-time methods become their UTC twins.
  for (const name of ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"]) {
    proto[`get${name}`] = proto[`getUTC${name}`];
    if (name !== "Day") proto[`set${name}`] = proto[`setUTC${name}`];
  }
  proto.getTimezoneOffset = function getTimezoneOffset() {
    return isNotANumber(apply(getTime, this, [])) ? Number.NaN : 0;
  };
  proto.getYear = function getYear() {
    return this.getUTCFullYear() - 1900;
  };
  proto.setYear = function setYear(y) {
    const n = Number(y);
    return this.setUTCFullYear(n >= 0 && n <= 99 ? 1900 + Math.trunc(n) : n);
  };
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  const valid = (d) => !isNotANumber(apply(getTime, d, []));
  const dateString = (d) =>
    `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCFullYear(), 4)}`;
  const timeString = (d) =>
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT+0000`;
  const localeDate = (d) => `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
  const localeTime = (d) => {
    const h = d.getUTCHours();
    return `${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? "AM" : "PM"}`;
  };
  const formatter = (fn) =>
    function format() {
      return valid(this) ? fn(this) : "Invalid Date";
    };
  proto.toString = formatter((d) => `${dateString(d)} ${timeString(d)}`);
  proto.toDateString = formatter(dateString);
  proto.toTimeString = formatter(timeString);
  proto.toLocaleString = formatter((d) => `${localeDate(d)}, ${localeTime(d)}`);
  proto.toLocaleDateString = formatter(localeDate);
  proto.toLocaleTimeString = formatter(localeTime);
  g.Date = SandboxDate;

  g.Math.random = function random() {
    throw new Error("Math.random is not available in rules; use bucket(salt)");
  };

  // No code generation: the Function constructors (reachable as `fn.constructor`) throw.
  const noCodegen = function FunctionUnavailable() {
    throw new Error("code generation is not available in rules");
  };
  const functionProtos = [g.Function.prototype];
  const indirectEval = g.eval;
  for (const make of ["(function* () {})", "(async function () {})", "(async function* () {})"]) {
    try {
      // Syntax only, evaluated before any rule exists, while (indirect) eval is still here.
      const fn = indirectEval(make);
      const p = getPrototypeOf(fn);
      if (p && !functionProtos.includes(p)) functionProtos.push(p);
    } catch {
      // That kind of function does not exist in this build: nothing to neuter.
    }
  }
  for (const p of functionProtos) {
    Object.defineProperty(p, "constructor", { value: noCodegen, writable: false, configurable: false });
  }
  noCodegen.prototype = g.Function.prototype;

  for (const name of [
    "eval",
    "Function",
    "Reflect",
    "Proxy",
    "Promise",
    "BigInt",
    "WeakRef",
    "FinalizationRegistry",
    "WeakMap",
    "WeakSet",
    "SharedArrayBuffer",
    "ArrayBuffer",
    "Atomics",
    "DataView",
    "escape",
    "unescape",
  ]) {
    delete g[name];
  }

  // Intrinsics not reachable by name from the global object.
  const hidden = [];
  const grab = (f) => {
    try {
      const v = f();
      if (v !== null && (typeof v === "object" || typeof v === "function")) hidden.push(v);
    } catch {
      // Not in this build.
    }
  };
  const iteratorOf = (x) => x[g.Symbol.iterator]();
  grab(() => getPrototypeOf(iteratorOf([])));
  grab(() => getPrototypeOf(iteratorOf("")));
  grab(() => getPrototypeOf(iteratorOf(new g.Map())));
  grab(() => getPrototypeOf(iteratorOf(new g.Set())));
  grab(() => getPrototypeOf("a".matchAll(/a/g)));
  grab(() => getPrototypeOf([].values().map((x) => x)));
  grab(() => getPrototypeOf(g.Iterator.from({ next: () => ({ done: true }) })));
  for (const p of functionProtos) hidden.push(p);

  // Deep freeze: every object reachable through own properties (values and accessors) and
  // prototypes. Iterative, so a long chain cannot overflow the guest stack.
  const seen = new g.Set();
  const stack = [g, ...hidden];
  while (stack.length > 0) {
    const o = stack.pop();
    if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
    seen.add(o);
    const p = getPrototypeOf(o);
    if (p) stack.push(p);
    for (const key of [...getOwnPropertyNames(o), ...Object.getOwnPropertySymbols(o)]) {
      const d = getOwnPropertyDescriptor(o, key);
      if (!d) continue;
      if ("value" in d) stack.push(d.value);
      if (d.get) stack.push(d.get);
      if (d.set) stack.push(d.set);
    }
    if (!isFrozen(o)) freeze(o);
  }

  return freeze({
    setNow(instant) {
      now = typeof instant === "number" ? instant : Number.NaN;
    },
  });
});
