/**
 * The rule editor: CodeMirror 6 with JavaScript highlighting, completion of what a rule may name
 * (taken from the API's vocabulary) and problems underlined where the check found them, checked
 * as you type (the lint source is called a moment after the last keystroke).
 */
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
  completionKeymap,
} from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, forceLinting, linter, lintKeymap } from "@codemirror/lint";
import { EditorState, type Text } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from "@codemirror/view";
import type { Vocabulary } from "./api.ts";

export interface EditorProblem {
  line: number;
  column: number;
  /** Characters to underline; by default the word (or character) at the place. */
  length?: number;
  message: string;
  severity: "error" | "warning";
}

export interface RuleEditor {
  view: EditorView;
  text(): string;
  setText(text: string): void;
  /** Check again now (after the rule or its kind changed outside the editor). */
  recheck(): void;
}

/** Methods of strings and lists a rule commonly calls, offered after a dot. */
const METHODS: Completion[] = [
  ["includes(x)", "в списке или строке есть x"],
  ["some(x => …)", "хотя бы один элемент подходит"],
  ["every(x => …)", "все элементы подходят"],
  ["startsWith(s)", "строка начинается с s"],
  ["endsWith(s)", "строка заканчивается на s"],
  ["slice(from, to)", "часть строки или списка"],
  ["toLowerCase()", "строка строчными буквами"],
  ["length", "длина строки или списка"],
].map(([signature = "", info]) => ({
  label: signature.replace(/\(.*$/, ""),
  detail: signature,
  info,
  type: signature.includes("(") ? "method" : "property",
}));

function completions(vocabulary: () => Vocabulary | null) {
  return (context: CompletionContext): CompletionResult | null => {
    const member = context.matchBefore(/\.[\w$]*$/);
    if (member) return { from: member.from + 1, options: METHODS, validFor: /^[\w$]*$/ };
    const word = context.matchBefore(/[\p{L}\p{N}_$]+$/u);
    if (!word && !context.explicit) return null;
    const known = vocabulary();
    if (!known) return null;
    const options: Completion[] = [
      ...known.variables.map((v) => ({
        label: v.name,
        type: "variable",
        detail: v.type,
        info: `${v.doc}. Пример: ${JSON.stringify(v.example)}`,
        boost: 2,
      })),
      ...known.helpers.map((h) => ({
        label: h.name,
        type: "function",
        detail: h.signature,
        info: h.doc,
        apply: h.signature.endsWith("()") ? `${h.name}()` : `${h.name}(`,
        boost: 1,
      })),
      ...known.rules.map((r) => ({
        label: r.name,
        type: "constant",
        detail: r.enabled ? "правило" : "правило (выключено)",
        info: r.title,
      })),
    ];
    return { from: word?.from ?? context.pos, options, validFor: /^[\p{L}\p{N}_$]*$/u };
  };
}

/** A 1-based line and column → a document range to underline. */
export function rangeOf(doc: Text, problem: EditorProblem): { from: number; to: number } {
  const line = doc.line(Math.min(Math.max(problem.line, 1), doc.lines));
  const from = Math.min(line.from + Math.max(problem.column - 1, 0), line.to);
  if (problem.length) return { from, to: Math.min(from + problem.length, doc.length) };
  const rest = doc.sliceString(from, line.to);
  const word = /^[\p{L}\p{N}_$]+/u.exec(rest)?.[0].length ?? 0;
  if (word > 0) return { from, to: from + word };
  if (from < line.to) return { from, to: from + 1 };
  return { from: Math.max(line.from, from - 1), to: from }; // at the end: the last character
}

export function createRuleEditor(options: {
  parent: HTMLElement;
  label: string;
  vocabulary: () => Vocabulary | null;
  /** Called a moment after each change: the problems to underline. */
  check: (text: string) => Promise<EditorProblem[]>;
  delayMs?: number;
}): RuleEditor {
  const lint = linter(
    async (view): Promise<Diagnostic[]> => {
      const text = view.state.doc.toString();
      const problems = await options.check(text);
      if (view.state.doc.toString() !== text) return []; // typed on meanwhile: the next run will say
      return problems.map((p) => ({
        ...rangeOf(view.state.doc, p),
        severity: p.severity,
        message: p.message,
      }));
    },
    { delay: options.delayMs ?? 400 },
  );
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        lineNumbers(),
        history(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript(),
        autocompletion({ override: [completions(options.vocabulary)], icons: false }),
        lint,
        placeholder('например: is_manager && region === "R077"'),
        keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ "aria-label": options.label, spellcheck: "false" }),
        // The page's CSP allows the editor's own <style> elements by this nonce only.
        EditorView.cspNonce.of(
          document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "",
        ),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    recheck: () => forceLinting(view),
  };
}
