// Evaluates a compiled rule set for one employee: the guest side of the one host→sandbox
// crossing per request. A compiled program (src/rules/compile/program.ts) is a function that,
// given the helpers and this library, returns { size, run } where run evaluates the rules in
// dependency order, from the first not yet settled. `load` wraps it into { run, cont, fail }:
//   run(arg)     arg = "limit|skip|prev\n<evidence JSON>"; `prev` holds the codes of rules
//                already settled (after the host rebuilt a broken sandbox); evaluates up to limit
//   cont(limit)  continues after the host stopped a runaway rule (or steps one rule at a time)
//   fail(k, m)   records that the rule at the current position was stopped by the host
// and each answers, with everything evaluated so far, with one string: a code per rule ("1" true, "0" false, "e" error, "s" did not
// run), then, if any rule failed, "\u0001" and a JSON list of [index, kind, message].
// A rule's failure is its own: it counts as false for the rules that refer to it.
(function createRunner(env) {
  const SEP = "\u0001";
  const freeze = Object.freeze;
  const getOwn = Object.getOwnPropertyDescriptor;
  const getProto = Object.getPrototypeOf;
  const stringify = JSON.stringify;
  const parseJson = JSON.parse;
  const ErrorType = Error;
  const maxMessage = env.maxMessage;

  const cut = (s) => (s.length > maxMessage ? `${s.slice(0, maxMessage)}…` : s);

  // Only own data properties along the prototype chain are read: a getter or a toString on a
  // thrown object never runs, so an error cannot trap the code that reports it.
  const dataString = (o, key) => {
    for (let p = o, hops = 0; p !== null && hops < 16; p = getProto(p), hops += 1) {
      const d = getOwn(p, key);
      if (d) return typeof d.value === "string" ? d.value : undefined;
    }
    return undefined;
  };
  const describe = (e) => {
    try {
      if (e === null || (typeof e !== "object" && typeof e !== "function")) {
        const text = typeof e === "string" ? e : typeof e === "symbol" ? "a symbol" : String(e);
        return ["throw", `threw ${cut(text)}`];
      }
      if (!(e instanceof ErrorType)) return ["throw", "threw a value that is not an Error"];
      const name = dataString(e, "name") ?? "Error";
      const message = dataString(e, "message") ?? "";
      const kind =
        name === "InternalError" && message === "out of memory"
          ? "oom"
          : name === "InternalError" && message === "stack overflow"
            ? "stack"
            : "throw";
      return [kind, cut(`${name}: ${message}`)];
    } catch {
      return ["throw", "the rule failed with an unreadable error"];
    }
  };

  // Evidence is frozen (deeply) so that no rule can change what a later rule sees. Frozen as
  // JSON.parse builds it (the reviver sees every value, children before their parent): in the
  // interpreter that is cheaper than walking the parsed tree again.
  const freezeValue = (_key, value) => (value !== null && typeof value === "object" ? freeze(value) : value);
  const parseFrozen = (text) => parseJson(text, freezeValue);

  // Records a rule's failure (called from the program's catch blocks); its code is "e".
  const fault = (e, i, errors) => {
    const [kind, message] = describe(e);
    errors.push([i, kind, message]);
    return "e";
  };
  const lib = freeze({ key: env.lib.key, freeze, fault });

  return function load(factory) {
    const program = factory(env.helpers, lib);
    const n = program.size;
    let state = null;

    const encode = () => {
      const codes = state.R.join("");
      return state.errors.length === 0 ? codes : codes + SEP + stringify(state.errors);
    };

    // R holds one code per settled rule, in order: R.length is the rule being evaluated, so when
    // the host stops a runaway rule it is R.length that gets the blame.
    const cont = (limitArg) => {
      const { E, R, errors, skip } = state;
      program.run(E, R, errors, skip, Math.min(n, Number(limitArg) || n));
      return encode();
    };

    const run = (arg) => {
      state = null;
      const newline = arg.indexOf("\n");
      const [limit, skip, prev] = arg.slice(0, newline).split("|");
      const E = parseFrozen(arg.slice(newline + 1));
      env.current.evidence = E;
      env.setNow(typeof E.now === "string" ? Date.parse(E.now) : Number.NaN);
      const R = [];
      for (let i = 0; i < prev.length; i += 1) R.push(prev[i]);
      const skipped = [];
      if (skip !== "") for (const i of skip.split(",")) skipped[Number(i)] = true;
      state = { E, R, errors: [], skip: skipped };
      return cont(limit);
    };

    const fail = (kind, message) => {
      const { R, errors } = state;
      errors.push([R.length, kind, cut(message)]);
      R.push("e");
      return encode();
    };

    return freeze({ run, cont, fail, size: n });
  };
});
