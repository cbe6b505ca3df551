import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { CompiledRuleset, RuleResults } from "../rules/index.ts";
import { type TabsLayout, windowState } from "./layout.ts";
import type { UserTabs } from "./model.ts";
import type { CatalogSnapshot } from "./snapshot.ts";
import type { TabsRequest } from "./tree.ts";

/** One serialised /user.tabs answer and its strong validator (derived from the bytes). */
export interface Answer {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly etag: string;
}

/** What one employee's rule results say, worked out once per results object (see ruleFacts). */
export interface RuleFacts {
  /** One character per rule in `layout.componentRules`: "1" when it lets its components show. */
  readonly shows: string;
  /** Rules true, of the whole set. */
  readonly rulesTrue: number;
  /** Positions in the rule set of the rules that were true, and of those that failed. */
  readonly trueIndexes: readonly number[];
  readonly errorIndexes: readonly number[];
  /** The rule set's rule ids, in its order (one array per rule set). */
  readonly ruleIds: readonly number[];
}

interface Memo extends RuleFacts {
  readonly layout: TabsLayout;
  readonly ruleset: CompiledRuleset;
}

/**
 * The evaluator's result cache hands out the same results object for every request it serves
 * from the cache, so facts keyed by that object are worked out once per cached employee, not
 * once per request. The snapshot is part of the check: a new catalog may keep the rule set (and
 * so the cached results) but use other rules in its components.
 */
const memos = new WeakMap<RuleResults, Memo>();
const ruleIdLists = new WeakMap<CompiledRuleset, readonly number[]>();

function ruleIdsOf(ruleset: CompiledRuleset): readonly number[] {
  let ids = ruleIdLists.get(ruleset);
  if (!ids) {
    ids = Object.freeze(ruleset.rules.map((rule) => rule.id));
    ruleIdLists.set(ruleset, ids);
  }
  return ids;
}

export function ruleFacts(snapshot: CatalogSnapshot, results: RuleResults): RuleFacts {
  const { layout, ruleset } = snapshot;
  const known = memos.get(results);
  if (known && known.layout === layout && known.ruleset === ruleset) return known;
  let shows = "";
  for (const name of layout.componentRules) {
    const outcome = results.get(name);
    shows += outcome?.ok && outcome.value ? "1" : "0";
  }
  const trueIndexes: number[] = [];
  const errorIndexes: number[] = [];
  ruleset.rules.forEach((rule, i) => {
    const outcome = results.get(rule.name);
    if (!outcome) return;
    if (!outcome.ok) errorIndexes.push(i);
    else if (outcome.value) trueIndexes.push(i);
  });
  const ruleIds = ruleIdsOf(ruleset);
  const memo: Memo = {
    layout,
    ruleset,
    shows,
    rulesTrue: trueIndexes.length,
    trueIndexes,
    errorIndexes,
    ruleIds,
  };
  memos.set(results, memo);
  return memo;
}

/**
 * Everything the tree depends on (see buildTabs): the snapshot (by catalog version), the
 * platform, which banner windows are open, the outcomes of the rules components use, and the
 * query (last, so that no character in it can be mistaken for a separator).
 */
export function answerKey(snapshot: CatalogSnapshot, facts: RuleFacts, request: TabsRequest): string {
  const windows = windowState(snapshot.layout, request.now.getTime());
  return `${snapshot.catalogVersion}|${request.platform}|${windows}|${facts.shows}|${request.query ?? ""}`;
}

/** Bytes a cached answer is counted for besides its body: the key and the entry's objects. */
const ENTRY_OVERHEAD = 200;

/**
 * Serialised answers by answerKey, least recently used dropped first, bounded by bytes
 * (0: nothing is kept, every answer is serialised anew).
 */
export class AnswerCache {
  private readonly lru: LRUCache<string, Answer> | undefined;

  constructor(maxBytes: number) {
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, Answer>({
            maxSize: maxBytes,
            sizeCalculation: (answer, key) => answer.bytes.byteLength + 2 * key.length + ENTRY_OVERHEAD,
          })
        : undefined;
  }

  get(key: string): Answer | undefined {
    return this.lru?.get(key);
  }

  /** Serialises `tabs` once and keeps the bytes (an answer larger than the whole cache is not kept). */
  put(key: string, tabs: UserTabs): Answer {
    const bytes = Buffer.from(JSON.stringify(tabs));
    const answer = { bytes, etag: etagOf(bytes) };
    this.lru?.set(key, answer);
    return answer;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.lru?.size ?? 0, bytes: this.lru?.calculatedSize ?? 0 };
  }
}

/** A strong ETag from the bytes themselves: equal tags mean equal bytes, whoever asked. */
export function etagOf(bytes: Uint8Array): string {
  return `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
}
