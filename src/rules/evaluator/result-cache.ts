/**
 * The result cache: each employee's outcomes by (rule set, quarantine epoch, the evidence the
 * rules read), bounded by bytes as well as entries. An entry keeps the sandbox's compact answer
 * (a code per rule, and the errors if any), not a Map per employee: 10,000 Maps cost ~105 MiB at
 * 100 rules and ~400 MiB at 1,000 (measured), most of the HTTP process's growth under load. The
 * Maps handed out are shared by every employee with the same outcomes (most employees share one
 * of a few outcome vectors) and kept in a memo bounded by bytes too; one evicted from the memo is
 * rebuilt from the entry.
 */
import { LRUCache } from "lru-cache";
import type { EvalReply } from "../sandbox/protocol.ts";
import type { RuleResults } from "../types.ts";

export interface ResultCacheOptions {
  /** Employees kept at most. */
  maxEntries: number;
  /** Bytes of employee entries kept at most (keys and answers, as JS strings: 2 bytes a char). */
  maxBytes: number;
  /** Bytes of shared result Maps kept at most (estimated per rule). */
  memoBytes: number;
}

export interface ResultCache {
  /** The cached outcomes, built by `build` from the compact answer when the memo lost them. */
  get(key: string, build: (reply: EvalReply) => RuleResults): RuleResults | undefined;
  set(key: string, reply: EvalReply, results: RuleResults): void;
}

/** What a JS string costs, roughly: UTF-16, plus the object around it. */
const stringBytes = (s: string) => 2 * s.length + 32;
/** One Map entry (name key shared with the rule set, outcome object often shared): estimated. */
const MAP_ENTRY_BYTES = 48;

/** The compact answer as one string (see wasm/runner.js: codes, then "\u0001" and the errors). */
function encode(reply: EvalReply): string {
  return reply.errors.length === 0 ? reply.codes : `${reply.codes}\u0001${JSON.stringify(reply.errors)}`;
}

function decode(answer: string): EvalReply {
  const sep = answer.indexOf("\u0001");
  if (sep < 0) return { codes: answer, errors: [], restarts: [] };
  return { codes: answer.slice(0, sep), errors: JSON.parse(answer.slice(sep + 1)), restarts: [] };
}

export function createResultCache(options: ResultCacheOptions): ResultCache {
  const entries = new LRUCache<string, string>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (answer, key) => stringBytes(key) + stringBytes(answer),
  });
  const memo = new LRUCache<string, RuleResults>({
    max: 100_000,
    maxSize: options.memoBytes,
    sizeCalculation: (results, key) => stringBytes(key) + 64 + results.size * MAP_ENTRY_BYTES,
  });
  /** The rule set and epoch (the key's first two lines) with the answer: equal outcomes, one Map. */
  const memoKey = (key: string, answer: string) => {
    const second = key.indexOf("\n", key.indexOf("\n") + 1);
    return `${key.slice(0, second)}\n${answer}`;
  };
  return {
    get(key, build) {
      const answer = entries.get(key);
      if (answer === undefined) return undefined;
      const shared = memoKey(key, answer);
      let results = memo.get(shared);
      if (results === undefined) {
        results = build(decode(answer));
        memo.set(shared, results);
      }
      return results;
    },
    set(key, reply, results) {
      const answer = encode(reply);
      entries.set(key, answer);
      const shared = memoKey(key, answer);
      if (!memo.has(shared)) memo.set(shared, results);
    },
  };
}
