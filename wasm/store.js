// What a sandbox holds for both runners (wasm/runner.js: one employee per crossing,
// wasm/batch-runner.js: many): the constants and rule units, kept by content key, so a new
// version of a rule set reuses every unit and list it shares with the versions before it; and
// how a thrown value is read into [kind, message] without running any of its code.
//   library      { defineLists, dropLists, defineUnits, dropUnits }, the part of each runner's
//                library the host calls to fill the store (see wasm/runner.js)
//   unitsFor(keys)  the units of a layout's keys, in order (null for ""); throws on an unknown key
//   describe(e)  [kind, message] of a thrown value; kind "oom", "stack" or "throw"
//   cut(s)       s shortened to the longest message the host keeps
// The file is one function expression; src/rules/sandbox/library.ts splices it into the
// sandbox library. It must stay plain ES2023 with no imports.
(function createStore(env) {
  const { freeze, getOwnPropertyDescriptor: getOwn, getPrototypeOf: getProto } = Object;
  const { stringify, parse: parseJson } = JSON;
  const ErrorType = Error;
  const SetType = Set;
  const MapType = Map;
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
  const lib = freeze({ key: env.lib.key, freeze });

  // Constants: per list its encoded text, and what rules ask for, each built once: the frozen
  // array, the Set, the has-function. Most lists are only ever a Set (`[…].includes(x)`), so the
  // elements are kept as an array only when a rule gets the array itself: on this machine a first
  // load's time goes mostly to touching new memory, and 200 long lists' arrays are ~5 MB of it.
  const lists = new MapType();
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
  const units = new MapType();
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
  const unitsFor = (keys) =>
    keys.map((key) => {
      if (key === "") return null;
      const unit = units.get(key);
      if (unit === undefined) throw new ErrorType(`unit ${key} is not defined`);
      return unit;
    });

  return freeze({
    library: freeze({ defineLists, dropLists: dropFrom(lists), defineUnits, dropUnits: dropFrom(units) }),
    unitsFor,
    describe,
    cut,
  });
});
