/**
 * How long literal lists should travel to a sandbox and be built there: the lists of 200 rules
 * of ~19 KB (bench/rules-fixtures.ts, ~316,000 elements), four ways, in fresh QuickJS contexts
 * with the sandbox library loaded, and the cost of sending them to a process over JSON IPC.
 *
 *   bun run bench/rules-lists.ts [--rounds 5]
 *
 *   JS literals      `[Object.freeze(["00012345", …]), …]` compiled with evalCode (the old way)
 *   JSON in JS       `JSON.parse("[\"00012345\", …]")` string constants, compiled with evalCode
 *   JSON argument    one JSON string passed in, JSON.parse'd by the guest
 *   text arguments   each list as "s:00012345,…" passed in, split by the guest (what we do)
 *
 * Each is followed by building a Set per list (what `[…].includes(x)` needs).
 */
import { parseArgs } from "node:util";
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, RELEASE_SYNC } from "quickjs-emscripten";
import { encodeList, type ListValue } from "../src/rules/compile/constants.ts";
import { sandboxLibrarySource } from "../src/rules/sandbox/library.ts";
import { generateLargeRules } from "../test/support/rule-fixtures.ts";
import { median } from "./support.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const ROUNDS = Number(values.rounds);

const lists: ListValue[][] = generateLargeRules(200).map((rule) => {
  const inside = /\[(.*)\]|inStore\((.*)\)/s.exec(rule.expression);
  return JSON.parse(`[${inside?.[1] ?? inside?.[2] ?? ""}]`) as ListValue[];
});
const elements = lists.reduce((sum, list) => sum + list.length, 0);
const encoded = lists.map(encodeList);

const ways: Record<string, (ctx: QuickJSContext) => void> = {
  "JS literals": (ctx) => {
    const text = `(() => { const s = []; for (const a of [${lists.map((l) => `Object.freeze(${JSON.stringify(l)})`).join(",\n")}]) s.push(new Set(a)); return s.length; })()`;
    ctx.evalCode(text).unwrap().dispose();
  },
  "JSON in JS": (ctx) => {
    const text = `(() => { const s = []; for (const a of [${lists.map((l) => `JSON.parse(${JSON.stringify(JSON.stringify(l))})`).join(",\n")}]) s.push(new Set(a)); return s.length; })()`;
    ctx.evalCode(text).unwrap().dispose();
  },
  "JSON argument": (ctx) => {
    const fn = ctx
      .evalCode(
        `(json) => { const s = []; for (const a of JSON.parse(json)) s.push(new Set(a)); return s.length; }`,
      )
      .unwrap();
    const arg = ctx.newString(JSON.stringify(lists));
    ctx.callFunction(fn, ctx.undefined, arg).unwrap().dispose();
    arg.dispose();
    fn.dispose();
  },
  "text arguments": (ctx) => {
    const fn = ctx
      .evalCode(
        `(...lists) => { const s = []; for (const e of lists) { const b = e.slice(2).split(","); s.push(new Set(e.startsWith("n:") ? b.map(Number) : b)); } return s.length; }`,
      )
      .unwrap();
    const args = encoded.map((e) => ctx.newString(e));
    ctx
      .callFunction(fn, ctx.undefined, ...args)
      .unwrap()
      .dispose();
    for (const a of args) a.dispose();
    fn.dispose();
  },
};

const module = await newQuickJSWASMModuleFromVariant(RELEASE_SYNC);
const library = sandboxLibrarySource();
const times = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, way] of Object.entries(ways)) {
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(1024 * 1024 * 1024);
    const ctx = runtime.newContext();
    ctx.evalCode(library).unwrap().dispose();
    const t = performance.now();
    way(ctx);
    times.set(label, [...(times.get(label) ?? []), performance.now() - t]);
    ctx.dispose();
    runtime.dispose();
  }
}

// Sending: what a sandbox process receives, JSON-serialised by the IPC channel.
const ipc = async (payload: unknown) => {
  const child = Bun.spawn(["bun", "-e", "process.on('message', (m) => process.send(m.n))"], {
    ipc: (message) => done?.(message),
    serialization: "json",
    stdio: ["ignore", "inherit", "inherit"],
  });
  let done: ((m: unknown) => void) | undefined;
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS + 1; i++) {
    const answered = new Promise((resolve) => {
      done = resolve;
    });
    const t = performance.now();
    child.send({ n: i, payload });
    await answered;
    if (i > 0) samples.push(performance.now() - t); // the first one includes the child's start
  }
  child.kill();
  return samples;
};
const sent = {
  "lists as JSON arrays": await ipc(lists),
  "lists as JSON text": await ipc(lists.map((l) => JSON.stringify(l))),
  "lists as s:/n: text": await ipc(encoded),
};

console.log(`bun ${Bun.version}; ${lists.length} lists, ${elements} elements; medians of ${ROUNDS}\n`);
console.log("| build in a fresh sandbox (lists + a Set each) | ms |");
console.log("| --- | ---: |");
for (const [label, t] of times) console.log(`| ${label} | ${median(t).toFixed(0)} |`);
console.log("\n| send to a sandbox process (JSON IPC, round trip) | ms |");
console.log("| --- | ---: |");
for (const [label, t] of Object.entries(sent)) console.log(`| ${label} | ${median(t).toFixed(1)} |`);
process.exit(0);
