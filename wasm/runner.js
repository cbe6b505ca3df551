// The guest side of the rule engine: the constants and rule units a sandbox holds, and the
// evaluation of a rule set for one employee in one host→sandbox crossing. The library is
//   defineLists(keys, ...lists)       keys comma-separated, each list encoded (compile/constants.ts)
//   defineUnits(keys, factories, json) keys comma-separated, factories the units' functions
//                                     (compile/program.ts), json = the constants each binds;
//                                     answers "" or a JSON list of [key, message] that failed
//   dropLists(keys), dropUnits(keys)  forget what no loaded rule set uses any more
//   load(layout)                      layout = { units, names, refs } of one rule set version:
//                                     the unit key and the referenced name per rule, in order
// Lists and units are kept by content key, so a new version of the rule set reuses every unit
// and list it shares with the versions before it. `load` wraps a version into { run, cont, fail }:
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
  const createObject = Object.create;
  const getOwn = Object.getOwnPropertyDescriptor;
  const getProto = Object.getPrototypeOf;
  const stringify = JSON.stringify;
  const parseJson = JSON.parse;
  const ErrorType = Error;
  const SetType = Set;
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

  // Records a rule's failure; its code is "e".
  const fault = (e, i, errors) => {
    const [kind, message] = describe(e);
    errors.push([i, kind, message]);
    return "e";
  };
  const lib = freeze({ key: env.lib.key, freeze });

  // Constants: per list its encoded text, and what rules ask for, each built once: the frozen
  // array, the Set, the has-function. Most lists are only ever a Set (`[…].includes(x)`), so the
  // elements are kept as an array only when a rule gets the array itself: on this machine a first
  // load's time goes mostly to touching new memory, and 200 long lists' arrays are ~5 MB of it.
  const lists = new Map();
  const decodeList = (encoded) => {
    const tag = encoded.slice(0, 2);
    const body = encoded.slice(2);
    if (tag === "s:") return body.split(",");
    if (tag === "n:") {
      const parts = body.split(",");
      for (let i = 0; i < parts.length; i += 1) parts[i] = Number(parts[i]);
      return parts;
    }
    return parseJson(body);
  };
  const constant = (key, form) => {
    const list = lists.get(key);
    if (list === undefined) throw new ErrorType(`constant ${key} is not defined`);
    if (form === "array") {
      if (list.array === undefined) list.array = freeze(decodeList(list.encoded));
      return list.array;
    }
    if (list.set === undefined) list.set = new SetType(list.array ?? decodeList(list.encoded));
    if (form === "set") return list.set;
    if (list.has === undefined) {
      const set = list.set;
      list.has = (v) => set.has(v);
    }
    return list.has;
  };
  const defineLists = (keysArg, ...encoded) => {
    const keys = keysArg === "" ? [] : keysArg.split(",");
    for (let i = 0; i < keys.length; i += 1) {
      if (!lists.has(keys[i]))
        lists.set(keys[i], { encoded: encoded[i], array: undefined, set: undefined, has: undefined });
    }
    return lists.size;
  };

  // Rule units: key → (evidence, values of named rules, codes) => boolean.
  const units = new Map();
  const defineUnits = (keysArg, factories, json) => {
    const keys = keysArg === "" ? [] : keysArg.split(",");
    const bindings = parseJson(json);
    const failed = [];
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i];
      try {
        const args = [env.helpers, lib];
        for (const [list, form] of bindings[i]) args.push(constant(list, form));
        const unit = factories[i](...args);
        if (typeof unit !== "function") throw new ErrorType("the unit is not a function");
        units.set(key, unit);
      } catch (e) {
        failed.push([key, describe(e)[1]]);
      }
    }
    return failed.length === 0 ? "" : stringify(failed);
  };
  const dropFrom = (map) => (keysArg) => {
    if (keysArg !== "") for (const key of keysArg.split(",")) map.delete(key);
    return map.size;
  };

  const load = (layoutJson) => {
    const layout = parseJson(layoutJson);
    const names = layout.names;
    const refs = layout.refs;
    const n = layout.units.length;
    const fns = layout.units.map((key) => {
      if (key === "") return null;
      const unit = units.get(key);
      if (unit === undefined) throw new ErrorType(`unit ${key} is not defined`);
      return unit;
    });
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
      for (let i = R.length; i < limit; i += 1) {
        const unit = fns[i];
        if (unit === null || skip[i] === true) {
          R[i] = "s";
          continue;
        }
        try {
          const value = unit(E, V, R);
          const name = names[i];
          if (name !== "") V[name] = value;
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
      const skipped = [];
      if (skip !== "") for (const i of skip.split(",")) skipped[Number(i)] = true;
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

  return freeze({
    defineLists,
    dropLists: dropFrom(lists),
    defineUnits,
    dropUnits: dropFrom(units),
    load,
  });
});
