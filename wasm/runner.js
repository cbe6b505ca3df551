// The guest side of the rule engine: the constants and rule units a sandbox holds, and the
// evaluation of a rule set for one employee in one host→sandbox crossing. The library is
//   defineLists(keys, ...lists)       keys comma-separated, each list encoded (compile/constants.ts)
//   defineUnits(keys, factories, json) keys comma-separated, factories the units' functions
//                                     (compile/program.ts), json = the constants each binds;
//                                     answers "" or a JSON list of [key, message] that failed
//   dropLists(keys), dropUnits(keys)  forget what no loaded rule set uses any more
//   load(layout)                      layout = { units, names, refs } of one rule set version:
//                                     the unit key and the referenced name per rule, in order
// Lists and units are kept by content key in wasm/store.js, which this runner shares with
// wasm/batch-runner.js, so a new version of the rule set reuses every unit and list it shares
// with the versions before it. `load` wraps a version into { run, cont, fail }:
//   run(arg)     arg = "limit|skip|prev\n<evidence JSON>"; `prev` holds the codes of rules
//                already settled (after the host rebuilt a broken sandbox); evaluates up to limit
//   cont(limit)  continues after the host stopped a runaway rule (or steps one rule at a time)
//   fail(k, m)   records that the rule at the current position was stopped by the host
// and each answers, with everything evaluated so far, with one string: a code per rule ("1" true, "0" false, "e" error, "s" did not
// run), then, if any rule failed, "\u0001" and a JSON list of [index, kind, message].
// A rule's failure is its own: it counts as false for the rules that refer to it.
(function createRunner(env) {
  const SEP = "\u0001";
  const { freeze, create: createObject } = Object;
  const { stringify, parse: parseJson } = JSON;
  const { describe, cut, unitsFor } = env.store;

  // Evidence is frozen (deeply) so that no rule can change what a later rule sees. Frozen as
  // JSON.parse builds it (the reviver sees every value, children before their parent): in the
  // interpreter that is cheaper than walking the parsed tree again.
  const freezeValue = (_key, value) => (value !== null && typeof value === "object" ? freeze(value) : value);
  const parseFrozen = (text) => parseJson(text, freezeValue);

  // Records a rule's failure; its code is "e".
  const fault = (e, i, errors) => {
    const [kind, message] = describe(e);
    errors.push([i, kind, message]);
    return "e";
  };

  const load = (layoutJson) => {
    const layout = parseJson(layoutJson);
    const names = layout.names;
    const refs = layout.refs;
    const n = layout.units.length;
    const fns = unitsFor(layout.units);
    // The positions of the rules other rules name, ascending: the loop compares its index with
    // the next one instead of reading names[i] for every rule.
    const namedAt = [];
    for (let i = 0; i < n; i += 1) if (names[i] !== "") namedAt.push(i);
    let state = null;

    const encode = () => {
      const codes = state.R.join("");
      return state.errors.length === 0 ? codes : codes + SEP + stringify(state.errors);
    };

    // R holds one code per settled rule, in order: R.length is the rule being evaluated, so when
    // the host stops a runaway rule it is R.length that gets the blame.
    const cont = (limitArg) => {
      const { E, V, R, errors, skip } = state;
      const limit = Math.min(n, Number(limitArg) || n);
      let p = 0;
      while (p < namedAt.length && namedAt[p] < R.length) p += 1;
      let nextNamed = p < namedAt.length ? namedAt[p] : -1;
      for (let i = R.length; i < limit; i += 1) {
        const unit = fns[i];
        const named = i === nextNamed;
        if (named) {
          p += 1;
          nextNamed = p < namedAt.length ? namedAt[p] : -1;
        }
        if (unit === null || (skip !== null && skip[i] === true)) {
          R[i] = "s";
          continue;
        }
        try {
          const value = unit(E, V, R);
          if (named) V[names[i]] = value;
          R[i] = value ? "1" : "0";
        } catch (e) {
          R[i] = fault(e, i, errors);
        }
      }
      return encode();
    };

    const run = (arg) => {
      state = null;
      const newline = arg.indexOf("\n");
      const [limit, skip, prev] = arg.slice(0, newline).split("|");
      const E = parseFrozen(arg.slice(newline + 1));
      env.current.evidence = E;
      env.setNow(typeof E.now === "string" ? Date.parse(E.now) : Number.NaN);
      // A rule that failed, did not run or comes later counts as false for the rules naming it.
      const V = createObject(null);
      for (let i = 0; i < refs.length; i += 1) V[refs[i]] = false;
      const R = [];
      for (let i = 0; i < prev.length; i += 1) {
        R.push(prev[i]);
        if (names[i] !== "") V[names[i]] = prev[i] === "1";
      }
      // Usually none: then the loop does not look (a hole in an array is a slow read).
      let skipped = null;
      if (skip !== "") {
        skipped = [];
        for (const i of skip.split(",")) skipped[Number(i)] = true;
      }
      state = { E, V, R, errors: [], skip: skipped };
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

  return freeze({ ...env.store.library, load });
});
