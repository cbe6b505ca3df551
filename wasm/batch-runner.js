// The guest side of the impact estimate (src/rules/sandbox/batch-*.ts): the same constants and
// rule units as wasm/runner.js (the same wasm/store.js holds them, with the same helpers), evaluated in
// one loop over many employees held inside the sandbox, instead of one employee per crossing.
//   defineLists, defineUnits, dropLists, dropUnits   of wasm/store.js, as in wasm/runner.js
//   appendData(json)   adds employees: {"n": k, "f": {field: {"d": [distinct values], "i": [index per employee]}}}
//   clearData()        forgets them all
//   load(layout)       layout = { units, names, refs } of a rule set, as wasm/runner.js takes it; answers
//                      { run, cont, fail }:
//   run(arg)     arg = "from|to|samples|target|reads\n<extras JSON>": evaluates employees [from, to), counting
//                the result of rule `target`; `reads` (comma-separated) are the evidence fields the set reads,
//                the extras (today, now, platform) the same for everyone
//   cont()       continues after the host stopped a runaway evaluation (fail first)
//   fail(k, m)   the employee being evaluated was stopped by the host: it counts as an error
// Each answers JSON { at, matches, errors, not, matching: [pernr], others: [pernr], failed: [[pernr, kind, message]] }
// for the employees evaluated since `run`. Evidence objects are built per employee with only the fields the
// rule set reads, frozen, as /user.tabs gives them; values shared by many employees are one frozen value.
(function createBatchRunner(env) {
  const { freeze, create: createObject } = Object;
  const { stringify, parse: parseJson } = JSON;
  const MapType = Map;
  const { describe, cut, unitsFor } = env.store;
  const FAILED_KEPT = 5;
  // Shared evaluations kept per rule and estimate, and the largest key (exact in a double).
  const MEMO_MAX = 50000;
  const MAX_KEY = 2 ** 52;

  // Evidence values are frozen as the employee sandbox's JSON.parse reviver freezes them.
  const deepFreeze = (value) => {
    if (value === null || typeof value !== "object") return value;
    for (const key of Object.keys(value)) deepFreeze(value[key]);
    return freeze(value);
  };

  // The employees: one array per evidence field, values shared through a canonical copy per field.
  let columns = createObject(null);
  // Fields with few distinct values: each value once (canonical), and per employee its small id.
  let canonical = createObject(null);
  let ids = createObject(null);
  let count = 0;
  const appendData = (json) => {
    const chunk = parseJson(json);
    const n = chunk.n;
    for (const field of Object.keys(chunk.f)) {
      const { d, i } = chunk.f[field];
      for (let k = 0; k < d.length; k += 1) deepFreeze(d[k]);
      let column = columns[field];
      if (column === undefined) {
        column = [];
        for (let k = 0; k < count; k += 1) column.push(undefined);
        columns[field] = column;
        // Decided by the first chunk: not nearly one value per employee (names and numbers are).
        if (count === 0 && d.length * 10 < n * 9) {
          canonical[field] = new MapType();
          ids[field] = [];
        }
      }
      const seen = canonical[field];
      const idColumn = ids[field];
      if (seen !== undefined && idColumn !== undefined) {
        const local = [];
        for (let k = 0; k < d.length; k += 1) {
          const v = d[k];
          const key = typeof v === "string" ? v : stringify(v);
          let have = seen.get(key);
          if (have === undefined) {
            have = { value: v, id: seen.size };
            seen.set(key, have);
          }
          d[k] = have.value;
          local.push(have.id);
        }
        for (let k = 0; k < n; k += 1) idColumn.push(local[i[k]]);
      }
      for (let k = 0; k < n; k += 1) column.push(d[i[k]]);
    }
    count += n;
    return String(count);
  };
  const clearData = () => {
    columns = createObject(null);
    canonical = createObject(null);
    ids = createObject(null);
    count = 0;
    return "0";
  };

  const load = (layoutJson) => {
    const layout = parseJson(layoutJson);
    const { names, refs } = layout;
    const n = layout.units.length;
    const fns = unitsFor(layout.units);
    const extraNames = ["today", "now", "platform"];
    // Units take the codes so far as their third argument; the generated code never reads it.
    const NO_CODES = freeze([]);
    const NO_VALUES = freeze(createObject(null));
    let state = null;
    let plans = null;

    const encode = () =>
      stringify({
        at: position(),
        matches: state.matches,
        errors: state.errors,
        not: state.not,
        matching: state.matching,
        others: state.others,
        failed: state.failed,
      });
    const pernrOf = (i) => {
      const column = columns.personnel_number;
      return column === undefined ? String(i) : column[i];
    };
    const recordFailure = (i, kind, message) => {
      state.errors += 1;
      if (state.failed.length < FAILED_KEPT) state.failed.push([pernrOf(i), kind, cut(message)]);
    };

    // One employee: the rules in order, each in its own guard, as wasm/runner.js does. A rule's
    // result depends only on the fields it reads (the extras are the same for everyone) and on
    // the rules it names, so employees alike in those share one evaluation of it, when those
    // fields have few values (the result cache of /user.tabs rests on the same fact).
    const evaluate = (i) => {
      const { plans, target } = state;
      const V = refs.length === 0 ? NO_VALUES : createObject(null);
      for (let k = 0; k < refs.length; k += 1) V[refs[k]] = false;
      let E = null;
      let code = "s";
      let failure;
      for (let k = 0; k <= target; k += 1) {
        const unit = fns[k];
        if (unit === null) continue;
        const plan = plans[k];
        let key = 0;
        if (plan !== null) {
          const { idColumns, strides } = plan;
          for (let c = 0; c < idColumns.length; c += 1) key += idColumns[c][i] * strides[c];
          let bit = plan.product;
          for (let r = 0; r < plan.refs.length; r += 1) {
            if (V[plan.refs[r]]) key += bit;
            bit *= 2;
          }
          const hit = plan.memo.get(key);
          if (hit !== undefined) {
            if (hit.code !== "e" && names[k] !== "") V[names[k]] = hit.value;
            if (k === target) {
              code = hit.code;
              failure = hit.failure;
            }
            continue;
          }
        }
        if (E === null) E = evidenceOf(i);
        let outcome;
        try {
          const value = unit(E, V, NO_CODES);
          if (names[k] !== "") V[names[k]] = value;
          outcome = { value, code: value ? "1" : "0", failure: undefined };
        } catch (e) {
          outcome = { value: false, code: "e", failure: describe(e) };
        }
        if (plan !== null && plan.memo.size < MEMO_MAX) plan.memo.set(key, outcome);
        if (k === target) {
          code = outcome.code;
          failure = outcome.failure;
        }
      }
      tally(i, code, failure);
    };
    const evidenceOf = (i) => {
      const E = createObject(null);
      const { fieldColumns, fieldNames, extras } = state;
      for (let k = 0; k < fieldNames.length; k += 1) {
        const column = fieldColumns[k];
        E[fieldNames[k]] = column === undefined ? extras[fieldNames[k]] : column[i];
      }
      freeze(E);
      env.current.evidence = E;
      return E;
    };
    const tally = (i, code, failure) => {
      if (code === "1") {
        state.matches += 1;
        if (state.matching.length < state.samples) state.matching.push(pernrOf(i));
      } else if (code === "0") {
        state.not += 1;
        if (state.others.length < state.samples) state.others.push(pernrOf(i));
      } else if (failure) recordFailure(i, failure[0], failure[1]);
      else recordFailure(i, "load", "the rule did not run");
    };

    // The position is derived from the counts, so whenever the host stops the loop the employee
    // in progress is the one not counted yet: nobody is counted twice or skipped.
    const position = () => state.from + state.matches + state.not + state.errors;
    const cont = () => {
      for (let i = position(); i < state.to; i = position()) evaluate(i);
      return encode();
    };

    const run = (arg) => {
      const newline = arg.indexOf("\n");
      const [from, to, samples, targetArg, readsArg] = arg.slice(0, newline).split("|");
      const target = Number(targetArg);
      const reads = readsArg === "" ? [] : readsArg.split(",");
      // The extras, and per rule in order the evidence fields it reads (extras left out) and the
      // rules it names: { extras, units: [{ reads, refs } | null] }.
      const { extras, units: shapes } = parseJson(arg.slice(newline + 1));
      env.setNow(typeof extras.now === "string" ? Date.parse(extras.now) : Number.NaN);
      // Extras come from the request (the same for everyone), the rest from the columns.
      const fieldNames = reads.filter((name) => extraNames.includes(name) || columns[name] !== undefined);
      const fieldColumns = fieldNames.map((name) => (extraNames.includes(name) ? undefined : columns[name]));
      // Per rule: how to key its shared evaluations (null: its fields have too many values).
      // Kept across the slices of this estimate (each estimate loads its rule set afresh).
      plans ??= shapes.map((u) => {
        if (u === null || !u.reads.every((name) => ids[name] !== undefined)) return null;
        let product = 1;
        const strides = [];
        for (const name of u.reads) {
          strides.push(product);
          product *= Math.max(1, canonical[name].size);
        }
        if (product * 2 ** u.refs.length > MAX_KEY) return null;
        return {
          idColumns: u.reads.map((name) => ids[name]),
          strides,
          product,
          refs: u.refs,
          memo: new MapType(),
        };
      });
      state = {
        from: Number(from),
        to: Math.min(Number(to), count),
        samples: Number(samples),
        target,
        extras,
        plans,
        fieldNames,
        fieldColumns,
        matches: 0,
        errors: 0,
        not: 0,
        matching: [],
        others: [],
        failed: [],
      };
      return cont();
    };

    const fail = (kind, message) => {
      recordFailure(position(), kind, message);
      return encode();
    };

    return freeze({ run, cont, fail, size: n });
  };

  // The data functions ride on `load`, the one library function the host keeps a handle to
  // (src/rules/sandbox/room.ts keeps the five of wasm/runner.js); rules cannot reach either.
  load.appendData = appendData;
  load.clearData = clearData;
  return freeze({ ...env.store.library, load: freeze(load) });
});
